using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// The README's "Then, for either setup" block, as a user types it: its snmpd access lines (with a real
/// community and a LibreNMS address that is not this host) in a real snmpd, and its on-host snmpget pipeline run
/// word for word through bash, which must print the start of the JSON. With only the LibreNMS line, snmpd
/// refused 127.0.0.1 and the check printed nothing. The packages the block needs are the ones the README installs.
/// </summary>
public sealed partial class ReadmeCheckTests
{
    private const string TestCommunity = "hvmReadme7";
    private const string NotThisHost = "192.0.2.10"; // TEST-NET-1: LibreNMS is elsewhere

    private static string Block()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        int section = readme.IndexOf("### Then, for either setup", StringComparison.Ordinal);
        Assert.True(section >= 0, "README has no 'Then, for either setup' section");
        var m = ShellBlock().Match(readme, section);
        Assert.True(m.Success, "no ```sh block in 'Then, for either setup'");
        return m.Groups[1].Value.Replace("\\\n", " ");
    }

    [Fact]
    public void TheOnHostCheckWorksWithTheReadmesSnmpdLines()
    {
        var lines = Block().Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var access = lines.Select(l => RocommunityEcho().Match(l)).Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Replace("COMMUNITY", TestCommunity).Replace("LIBRENMS_IP", NotThisHost)).ToList();
        Assert.NotEmpty(access);
        // Restarting without systemd: the README says `service`, which Debian has everywhere (init-system-helpers).
        Assert.Contains("service snmpd restart", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("systemctl", StringComparison.Ordinal));
        Assert.True(File.Exists("/usr/sbin/service"), "service(8) is missing");

        var dir = Directory.CreateTempSubdirectory("hvm-readme-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var cache = Path.Combine(dir, "hv_monitor.json");
        var recording = Path.Combine(RepoPaths.Root, "samples", "cbsd", "freebsd14-nocolor");
        Assert.Equal(3, HvMonitorBinary.Run("-b", "CBSD", "--replay", recording, "-w", "-q", "-o", cache).ExitCode);
        File.SetUnixFileMode(cache + ".snmp", (UnixFileMode)0b110_100_100);
        using var snmpd = Snmpd.Start([$"extend hv-monitor /bin/cat {cache}.snmp"], accessLines: access, community: TestCommunity);

        var check = lines.Single(l => l.StartsWith("snmpget ", StringComparison.Ordinal))
            .Replace("COMMUNITY", TestCommunity).Replace(" 127.0.0.1 ", $" udp:127.0.0.1:{snmpd.UdpPort} ");
        var r = Shell.Run("bash", ["-c", check]);
        Assert.True(r.ExitCode == 0, $"{check}\n{r.Stderr}");
        Assert.StartsWith("{\"version\":1,\"error\":0,", r.Stdout);
    }

    /// <summary>snmpget comes from package snmp (which snmpd does not pull in), and the README installs it.</summary>
    [Fact]
    public void ThePackagesTheStepsUseAreTheOnesTheReadmeInstalls()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var snmpget = Shell.Check("dpkg", "-S", "/usr/bin/snmpget").Split(':')[0];
        Assert.Equal("snmp", snmpget);
        Assert.Contains("apt-get install -y snmpd snmp", readme);
        // snmpd does not depend on snmp: installing snmpd alone leaves no snmpget.
        Assert.DoesNotContain(Shell.Check("apt-cache", "depends", "snmpd").Split('\n'), l => l.Trim() is "Depends: snmp" or "PreDepends: snmp");
        // Minimal systems and containers lack cron (this test machine does): the README installs it before /etc/cron.d is used.
        int cron = readme.IndexOf("apt-get install -y cron", StringComparison.Ordinal);
        Assert.True(cron >= 0 && cron < readme.IndexOf("install -m 0644 crontab.example /etc/cron.d/hv-monitor", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [GeneratedRegex(@"^echo '(rocommunity [^']*)' >> /etc/snmp/snmpd.conf$")]
    private static partial Regex RocommunityEcho();
}
