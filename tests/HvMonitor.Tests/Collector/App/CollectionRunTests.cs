using HvMonitor.Collector.App;
using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using Xunit;

namespace HvMonitor.Tests.Collector.App;

/// <summary>error ≠ 0 only when nothing usable was collected; everything else is error 0 and says what is missing.</summary>
public class CollectionRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static List<VmFacts> Vms(params string[] names) => names.Select(n => new VmFacts { Name = n, State = VmState.Running }).ToList();

    [Fact]
    public void ACompleteRunHasNoErrorAndAnEmptyErrorString()
    {
        var r = CollectionRun.Outcome("libvirt", Vms("a", "b"), [], ["a", "b"], deadlinePassed: false, null, Timeout);
        Assert.True(r.Complete);
        Assert.Equal(0, r.Envelope.Error);
        Assert.Equal("", r.Envelope.ErrorString);
    }

    [Fact]
    public void APerVmWarningKeepsErrorZeroButTheRunIsIncomplete()
    {
        var r = CollectionRun.Outcome("libvirt", Vms("a"), ["domain 'a': its QEMU process was not found"], ["a"], false, null, Timeout);
        Assert.False(r.Complete);
        Assert.Equal(0, r.Envelope.Error);
        Assert.Equal("warning: domain 'a': its QEMU process was not found", r.Envelope.ErrorString);
    }

    [Fact]
    public void TheDeadlineAfterSomeVmsNamesTheMissingOnesWithErrorZero()
    {
        var r = CollectionRun.Outcome("libvirt", Vms("b"), [], ["c", "b", "lab \"q\" \\b"], deadlinePassed: true, null, Timeout);
        Assert.False(r.Complete);
        Assert.Equal(0, r.Envelope.Error);
        Assert.Single(r.Envelope.Data.VMs);
        Assert.Equal("incomplete: collection did not finish within 30 s (is the hypervisor responding?); 1 of 3 VM(s) collected; missing: 'c', 'lab \"q\" \\b'",
            r.Envelope.ErrorString);
        Assert.Contains(r.Envelope.ErrorString, r.Warnings);
    }

    [Fact]
    public void ManyMissingVmsAreCountedNotAllNamed()
    {
        var listed = Enumerable.Range(0, 40).Select(i => $"vm{i:D2}").ToList();
        var r = CollectionRun.Outcome("libvirt", Vms("vm00"), [], listed, true, null, Timeout);
        Assert.EndsWith("missing: 'vm01', 'vm02', 'vm03', 'vm04', 'vm05', 'vm06', 'vm07', 'vm08', 'vm09', 'vm10' and 29 more", r.Envelope.ErrorString);
    }

    [Fact]
    public void TheDeadlineBeforeAnyVmIsAnError()
    {
        var listedFirst = CollectionRun.Outcome("libvirt", [], [], ["a", "b"], true, null, TimeSpan.FromSeconds(2));
        Assert.Equal(ErrorCodes.BackendFailed, listedFirst.Envelope.Error);
        Assert.Equal("collection did not finish within 2 s (is the hypervisor responding?); none of the 2 VM(s) listed was collected", listedFirst.Envelope.ErrorString);

        var neverListed = CollectionRun.Outcome("libvirt", [], [], null, true, null, TimeSpan.FromSeconds(2));
        Assert.Equal(ErrorCodes.BackendFailed, neverListed.Envelope.Error);
        Assert.Equal("collection did not finish within 2 s (is the hypervisor responding?)", neverListed.Envelope.ErrorString);
    }

    [Fact]
    public void ABackendFailureKeepsItsCodeOnlyWhenNothingWasCollected()
    {
        var unavailable = new BackendException(ErrorCodes.BackendUnavailable, "libvirt.so.0 could not be loaded");
        var none = CollectionRun.Outcome("libvirt", [], [], null, false, unavailable, Timeout);
        Assert.Equal(ErrorCodes.BackendUnavailable, none.Envelope.Error);
        Assert.Equal("libvirt.so.0 could not be loaded", none.Envelope.ErrorString);

        var some = CollectionRun.Outcome("libvirt", Vms("a"), [], ["a", "b"], false, new InvalidOperationException("boom"), Timeout);
        Assert.Equal(0, some.Envelope.Error);
        Assert.False(some.Complete);
        Assert.Equal("incomplete: libvirt backend failed unexpectedly: InvalidOperationException: boom; 1 of 2 VM(s) collected; missing: 'b'", some.Envelope.ErrorString);
    }

    [Fact]
    public void AnEmptyHostIsCompleteAndNotAnError()
    {
        var r = CollectionRun.Outcome("libvirt", [], [], [], false, null, Timeout);
        Assert.True(r.Complete);
        Assert.Equal(0, r.Envelope.Error);
    }
}
