using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HvMonitor.Collector;
using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Properties;

/// <summary>
/// Property tests over the recorded hosts (samples/libvirt/recorded-lab, samples/cbsd/*): each case copies one,
/// damages a file at random (<see cref="SampleMutator"/>, a fixed seed per case, so a failure replays exactly) and
/// runs the collector's real code path in process (<see cref="CollectorProgram.Run"/>, --replay). Whatever the
/// damage: no exception escapes and no "failed unexpectedly", the exit status is a documented one and agrees with
/// the envelope, stdout is one valid envelope, messages stay short, time and memory stay bounded, and when the
/// damaged file belongs to one VM every other VM is still reported exactly as recorded.
/// </summary>
public sealed class MutatedSampleTests
{
    private const int LibvirtCases = 160, CbsdCasesPerHost = 70;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        for (int i = 0; i < LibvirtCases; i++)
            data.Add("libvirt/recorded-lab", i);
        foreach (var host in new[] { "cbsd/freebsd13-colour", "cbsd/freebsd14-nocolor" })
        {
            for (int i = 0; i < CbsdCasesPerHost; i++)
                data.Add(host, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ADamagedRecordingNeverCrashesAndKeepsTheIntactVms(string sample, int seed)
    {
        var source = RepoPaths.Sample(sample.Split('/'));
        var golden = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(source, "golden.json"))).RootElement.GetProperty("data").GetProperty("VMs");
        var dir = Directory.CreateTempSubdirectory("hvm-prop-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(source))
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var random = new Random(HashCode.Combine(sample.Length, seed) ^ (seed * 7919));
            var files = Directory.GetFiles(dir).Where(f => f.EndsWith(".txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            var victim = files[random.Next(files.Count)];
            var owner = OwnerOf(victim, dir, golden);
            var what = SampleMutator.Apply(victim, SampleMutator.Kinds[random.Next(SampleMutator.Kinds.Length)], random);
            var context = $"{sample} seed {seed}: {what}";

            string[] args = sample.StartsWith("cbsd", StringComparison.Ordinal)
                ? ["-b", "CBSD", "--replay", dir, "--pretty", "--timeout", "20"]
                : ["-b", "Libvirt", "--replay", dir, "--pretty", "--timeout", "20"];
            var stdout = new MemoryStream();
            var stderr = new StringWriter();
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            var clock = Stopwatch.StartNew();
            int exit = CollectorProgram.Run(args, stdout, stderr);
            clock.Stop();
            long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{context}: took {clock.Elapsed}");
            // A 3 MB line is read whole once or twice; more than that would be a leak or a blow-up.
            Assert.True(allocated < 400L << 20, $"{context}: allocated {allocated >> 20} MiB");
            Assert.True(exit is 0 or 1 or 3, $"{context}: exit {exit}");
            var text = stderr.ToString();
            Assert.True(text.Length < 16_000, $"{context}: {text.Length} characters on stderr");
            Assert.DoesNotContain("unexpectedly", text);
            Assert.DoesNotContain("internal error", text);
            Assert.DoesNotContain("   at ", text); // no stack trace
            Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.StartsWith("hv-monitor: ", l));

            var envelope = JsonDocument.Parse(stdout.ToArray()).RootElement;
            Assert.Equal(1, envelope.GetProperty("version").GetInt32());
            int error = envelope.GetProperty("error").GetInt32();
            var errorString = envelope.GetProperty("errorString").GetString()!;
            Assert.True(errorString.Length < 2_000, $"{context}: errorString of {errorString.Length} characters");
            Assert.True(error == 0 ? exit is 0 or 3 : exit == 1, $"{context}: exit {exit} with error {error}: {errorString}");
            Assert.True((exit == 0) == (errorString.Length == 0), $"{context}: exit {exit} with errorString '{errorString}'");

            // A replay that lacks a probe the damage made necessary (a changed pid) stops the run by design.
            if (owner is null || errorString.Contains("has no answer for", StringComparison.Ordinal) || errorString.StartsWith("cannot replay", StringComparison.Ordinal))
                return;
            Assert.True(error == 0, $"{context}: {errorString}");
            var vms = envelope.GetProperty("data").GetProperty("VMs");
            foreach (var vm in golden.EnumerateObject().Where(v => v.Name != owner))
            {
                Assert.True(vms.TryGetProperty(vm.Name, out var got), $"{context}: intact VM '{vm.Name}' is missing");
                Assert.True(vm.Value.GetRawText() == got.GetRawText(), $"{context}: intact VM '{vm.Name}' changed");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// The VM a libvirt recording file is about (its XML, its snapshot count, its pid file, its /proc files), or
    /// null for a file about the whole host (domstats, /proc/meminfo, ls /proc, every CBSD command).
    /// </summary>
    private static string? OwnerOf(string file, string dir, JsonElement golden)
    {
        string CommandOf(string f) => File.ReadLines(f).FirstOrDefault() ?? "";
        var command = CommandOf(file);
        foreach (var vm in golden.EnumerateObject().Select(v => v.Name))
        {
            if (command == "$ " + PosixQuote.Join(["virsh", "-r", "dumpxml", vm])
                || command == "$ " + PosixQuote.Join(["libvirt", "snapshot-count", vm])
                || command == "$ " + PosixQuote.Join(["cat", $"/run/libvirt/qemu/{vm}.pid"]))
                return vm;
            var pidFile = Directory.GetFiles(dir).FirstOrDefault(f => f != file && CommandOf(f) == "$ " + PosixQuote.Join(["cat", $"/run/libvirt/qemu/{vm}.pid"]));
            if (pidFile is not null && File.ReadAllLines(pidFile).Skip(1).FirstOrDefault(l => !l.StartsWith('#'))?.Trim() is { Length: > 0 } pid
                && command.Contains($"/proc/{pid}/", StringComparison.Ordinal))
                return vm;
        }
        return null;
    }
}
