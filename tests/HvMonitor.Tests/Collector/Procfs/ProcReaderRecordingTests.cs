using HvMonitor.Collector.Procfs;
using HvMonitor.Shared.Commands;
using Xunit;

namespace HvMonitor.Tests.Collector.Procfs;

/// <summary>
/// ProcReader's file reads over a fixture /proc tree built from samples/libvirt: recorded, then replayed
/// to the same figures; only QEMU's command lines are ever read.
/// </summary>
public sealed class ProcReaderRecordingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hvm-proc-").FullName;
    private readonly string _recording = Path.Combine(Path.GetTempPath(), "hvm-proc-rec-" + Guid.NewGuid().ToString("N"));

    public ProcReaderRecordingTests()
    {
        File.WriteAllText(Path.Combine(_root, "uptime"), SampleFile.Read("libvirt/proc-uptime.txt"));
        File.WriteAllText(Path.Combine(_root, "meminfo"), SampleFile.Read("libvirt/proc-meminfo-head.txt"));
        Process(18706, "qemu-system-x86", "hvm-alpha");
        Process(18728, "qemu-system-x86", "hvm lab two", "hvm-lab-two");
        // Another process whose command line carries a secret: never to be read, so never recorded.
        Directory.CreateDirectory(Path.Combine(_root, "4242"));
        File.WriteAllText(Path.Combine(_root, "4242", "comm"), "mysqld\n");
        File.WriteAllText(Path.Combine(_root, "4242", "cmdline"), "mysqld\0--password=hunter2\0");
    }

    private void Process(int pid, string comm, string guest, string? sample = null)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, pid.ToString())).FullName;
        File.WriteAllText(Path.Combine(dir, "comm"), comm + "\n");
        File.WriteAllText(Path.Combine(dir, "cmdline"), $"/usr/bin/qemu-system-x86_64\0-name\0guest={guest},debug-threads=on\0");
        File.WriteAllText(Path.Combine(dir, "stat"), SampleFile.Read($"libvirt/proc-stat-{sample ?? guest}.txt"));
        File.WriteAllText(Path.Combine(dir, "status"), SampleFile.Read($"libvirt/proc-status-{sample ?? guest}.txt"));
    }

    public void Dispose()
    {
        Directory.Delete(_root, true);
        if (Directory.Exists(_recording))
            Directory.Delete(_recording, true);
    }

    [Fact]
    public void ARecordedReadReplaysToTheSameFiguresAndNoOtherCommandLine()
    {
        var live = new ProcReader(new RecordingProcFileSystem(new LiveProcFileSystem(_root), new RecordingDirectory(_recording)));
        int pid = live.FindQemuPid("hvm lab two", Path.Combine(_root, "no-such.pid"))!.Value;
        var recorded = live.ReadProcessStats(pid);

        var replayed = new ProcReader(new ReplayProcFileSystem(_root, new ReplayCommandRunner(_recording)));
        Assert.Equal(pid, replayed.FindQemuPid("hvm lab two", Path.Combine(_root, "no-such.pid")));
        Assert.Equal(recorded, replayed.ReadProcessStats(pid));
        Assert.True(recorded.Etimes > 0);

        var everything = string.Concat(Directory.GetFiles(_recording).Select(File.ReadAllText));
        Assert.DoesNotContain("hunter2", everything);
        Assert.Contains($"$ cat {_root}/uptime {_root}/{pid}/stat", everything);
        Assert.Contains("$ getconf CLK_TCK", everything);
    }

    [Fact]
    public void AFileThatCannotBeReadIsRecordedAsAFailureAndReplayedAsOne()
    {
        var live = new ProcReader(new RecordingProcFileSystem(new LiveProcFileSystem(_root), new RecordingDirectory(_recording)));
        var first = Assert.Throws<IOException>(() => live.ReadProcessStats(99999));
        var replayed = new ProcReader(new ReplayProcFileSystem(_root, new ReplayCommandRunner(_recording)));
        Assert.Equal(first.Message, Assert.Throws<IOException>(() => replayed.ReadProcessStats(99999)).Message);
    }
}
