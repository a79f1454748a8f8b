using System.Text;
using System.Text.Json;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// <c>--record</c> on the real lab, then <c>--replay</c> of that recording, with the published binary: the same
/// JSON byte for byte, and no secret in the recording (a guest with a VNC password is defined for the test; the
/// read-only XML hv-monitor reads never carries it).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class RecordReplayLabTests
{
    private const string Uri = LabFixture.Uri;
    private const string SecretGuest = "hvm-rec-secret";
    private const string VncPassword = "q7Zx3vKp"; // VNC passwords are at most 8 characters

    private static string SecretGuestXml => $"""
        <domain type='qemu'>
          <name>{SecretGuest}</name>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type arch='x86_64' machine='pc'>hvm</type></os>
          <devices>
            <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1' passwd='{VncPassword}'/>
          </devices>
        </domain>
        """;

    [Fact]
    public void ARecordedRunReplaysToTheSameJsonAndHoldsNoSecret()
    {
        var dir = Directory.CreateTempSubdirectory("hvm-lab-rec-").FullName;
        var xml = Path.Combine(dir, "..", Path.GetFileName(dir) + ".xml");
        File.WriteAllText(xml, SecretGuestXml);
        Shell.Run("virsh", "-c", Uri, "undefine", SecretGuest);
        Shell.Check("virsh", "-c", Uri, "define", xml);
        try
        {
            // Ground truth: the password is really set (only a read-write connection may see it).
            Assert.Contains(VncPassword, Shell.Check("virsh", "-c", Uri, "dumpxml", "--security-info", SecretGuest));

            var recorded = HvMonitorBinary.Run("-b", "Libvirt", "--uri", Uri, "--record", dir);
            LabGuests.AssertCleanForOurGuests(recorded.ExitCode, recorded.Stderr);
            var replayed = HvMonitorBinary.Run("-b", "Libvirt", "--replay", dir);
            Assert.Equal(recorded.ExitCode, replayed.ExitCode);
            Assert.Equal(recorded.Stderr, replayed.Stderr);
            Assert.Equal(recorded.StdoutBytes, replayed.StdoutBytes);

            var json = JsonDocument.Parse(recorded.Stdout).RootElement;
            var vms = json.GetProperty("data").GetProperty("VMs");
            Assert.True(vms.TryGetProperty(SecretGuest, out _));
            // Our guests (the lab's and this test's): other users' guests come and go meanwhile.
            var domains = GroundTruth.DomainNames(Uri);
            Assert.Equal(domains.Order(StringComparer.Ordinal), LabGuests.OurNames(vms));
            Assert.Contains(vms.EnumerateObject(), vm => vm.Value.GetProperty("etimes").GetUInt64() > 0);

            var files = Directory.GetFiles(dir).Select(f => (Name: f, Bytes: File.ReadAllBytes(f))).ToList();
            var firstLines = files.Select(f => Encoding.UTF8.GetString(f.Bytes).Split('\n')[0]).ToList();
            Assert.Contains("$ virsh -r domstats --raw --state --balloon --interface --block --nowait", firstLines);
            foreach (var name in domains)
                Assert.Contains("$ virsh -r dumpxml " + ShellQuoted(name), firstLines);
            Assert.Contains(firstLines, l => l.StartsWith("$ cat /proc/uptime /proc/", StringComparison.Ordinal));
            Assert.Contains("$ getconf CLK_TCK", firstLines);
            Assert.Contains("$ cat /proc/meminfo", firstLines);
            foreach (var (name, bytes) in files)
                Assert.False(Encoding.UTF8.GetString(bytes).Contains(VncPassword, StringComparison.Ordinal), $"{name} holds the VNC password");
        }
        finally
        {
            Shell.Run("virsh", "-c", Uri, "undefine", SecretGuest);
            File.Delete(xml);
            Directory.Delete(dir, true);
        }
    }

    /// <summary>A name as a POSIX shell needs it typed (the lab's names have no control characters).</summary>
    private static string ShellQuoted(string s) =>
        s.All(c => char.IsAsciiLetterOrDigit(c) || "_@%+=:,./-".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";
}
