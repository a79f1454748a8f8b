using HvMonitor.IntegrationTests.Snmp;
using Xunit;
using Xunit.Abstractions;

namespace HvMonitor.IntegrationTests.Packaging;

/// <summary>
/// The Debian package as an admin uses it: installed with apt, the installed /usr/bin/hv-monitor read through a
/// real snmpd the way LibreNMS reads it (both setups, as the package's own cron file and snmpd snippet give
/// them), its man pages found by man, its unit verified by systemd, lintian without errors.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class DebianPackageTests(ITestOutputHelper output) : IClassFixture<InstalledPackageFixture>
{
    private const string Installed = "/usr/bin/hv-monitor";
    private const string SnmpdExample = "/usr/share/doc/hv-monitor/snmpd.conf.example";
    private const string CronFile = "/etc/cron.d/hv-monitor";

    [Fact]
    public void InstalledBinaryIsTheNativeExecutableAndRuns()
    {
        Assert.Equal("install ok installed", DebianPackage.Status());
        var version = Shell.Run(Installed, "--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^hv-monitor \d+\.\d+\.\d+\n$", version.Stdout);
        // The package's version is the binary's.
        Assert.Equal(version.Stdout.Split(' ')[1].Trim(), Shell.Check("dpkg-query", "-W", "-f=${Version}", DebianPackage.Name));
        // NativeAOT: an ELF executable with no hv-monitor.dll or .NET runtime beside it.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(Installed)[..4]);
        Assert.DoesNotContain(DebianPackage.Files(), f => f.EndsWith(".dll", StringComparison.Ordinal) || f.Contains("dotnet", StringComparison.Ordinal));
    }

    [Fact]
    public void DependsNamesTheLibrariesTheBinaryLinksAndLoads()
    {
        var depends = Shell.Check("dpkg-query", "-W", "-f=${Depends}", DebianPackage.Name);
        output.WriteLine(depends);
        // Linked (NEEDED): libc.so.6, libz.so.1; loaded with dlopen: libvirt.so.0, libssl.so.3.
        foreach (var package in new[] { "libc6", "zlib1g", "libvirt0", "libssl3" })
            Assert.Contains(package, depends.Split([',', '|'], StringSplitOptions.TrimEntries).Select(d => d.Split(' ')[0]));
        var needed = Shell.Check("objdump", "-p", Installed).Split('\n').Where(l => l.Trim().StartsWith("NEEDED", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        Assert.Contains("libz.so.1", needed);
        Assert.Equal("Recommends: snmpd", "Recommends: " + Shell.Check("dpkg-query", "-W", "-f=${Recommends}", DebianPackage.Name));
    }

    /// <summary>Setup 2: the snmpd snippet's serve-mode line, as shipped, under snmpd's own user, with the directories postinst made.</summary>
    [Fact]
    public void ServeModeLineFromThePackagedSnippetAnswersLibreNms()
    {
        foreach (var dir in new[] { "/var/cache/hv-monitor", "/var/log/hv-monitor" })
            Assert.Equal($"{SnmpdUser.Name} {SnmpdUser.Name} 755", Shell.Check("stat", "-c", "%U %G %a", dir).Trim());
        var line = File.ReadAllLines(SnmpdExample).Single(l => l.StartsWith("#extend hv-monitor " + Installed + " --cache-ttl", StringComparison.Ordinal))[1..];
        output.WriteLine(line);
        using var snmpd = Snmpd.Start([line], Snmpd.DebianUser);
        AssertLibreNmsSeesTheLab(LibreNms.SnmpGet(snmpd, timeoutSeconds: 30));
        Assert.Contains("]: collected ", File.ReadAllText("/var/log/hv-monitor/hv-monitor.log"), StringComparison.Ordinal);
    }

    /// <summary>Setup 1: the cron file's command (shipped commented out) writes the cache; the snippet's cat line serves it.</summary>
    [Fact]
    public void CronLineAndCatExtendAnswerLibreNms()
    {
        var cron = File.ReadAllLines(CronFile);
        // Harmless as shipped: no active line.
        Assert.All(cron, l => Assert.True(l.Length == 0 || l.StartsWith('#'), $"active line in {CronFile}: {l}"));
        var job = cron.Single(l => l.StartsWith("#*/5 * * * * root ", StringComparison.Ordinal))["#*/5 * * * * root ".Length..].Split(' ');
        Assert.Equal(Installed, job[0]);
        var run = Shell.Run(job[0], job[1..]);
        Assert.True(run.ExitCode is 0 or 3, $"{string.Join(' ', job)} exited {run.ExitCode}: {run.Stderr}");
        Assert.Equal("", run.Stdout);

        var extend = File.ReadAllLines(SnmpdExample).Single(l => l.StartsWith("extend hv-monitor ", StringComparison.Ordinal));
        using var snmpd = Snmpd.Start([extend], Snmpd.DebianUser);
        AssertLibreNmsSeesTheLab(LibreNms.SnmpGet(snmpd));
    }

    private void AssertLibreNmsSeesTheLab(byte[] snmpget)
    {
        var doc = LibreNms.JsonAppGet(snmpget);
        var reported = doc.GetProperty("data").GetProperty("VMs").EnumerateObject().Select(p => p.Name).ToList();
        // Only our own guests: other people's come and go on a shared host.
        var lab = GroundTruth.DomainNames(LabFixture.Uri).Where(n => n.StartsWith("hvm", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        output.WriteLine(string.Join(", ", lab));
        Assert.NotEmpty(lab);
        Assert.Equal(lab, reported.Where(n => n.StartsWith("hvm", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.True(LibreNms.AssertEveryPolledFieldIsANumber(doc.GetProperty("data")) > 0);
    }

    [Theory]
    [InlineData("8", "hv-monitor")]
    [InlineData("8", "hv-monitor-report")]
    [InlineData("5", "hv-monitor-report.conf")]
    public void ManFindsEachPage(string section, string page)
    {
        var path = Shell.Check("man", "-w", section, page).Trim();
        Assert.Equal($"/usr/share/man/man{section}/{page}.{section}.gz", path);
        // The page renders, with its NAME section naming the command.
        var text = Shell.Run("man", ["-P", "cat", section, page], new Dictionary<string, string> { ["MANWIDTH"] = "100" });
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("NAME", text.Stdout, StringComparison.Ordinal);
        Assert.Contains(page.Replace(".conf", "", StringComparison.Ordinal), text.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hv-monitor-report", "Type=notify\n", "ExecStart=/usr/bin/hv-monitor report\n")]
    [InlineData("hv-monitor-exporter", "Type=simple\n", "ExecStart=/usr/bin/hv-monitor exporter --web.listen-address=:9977\n")]
    public void ServiceUnitVerifiesAndIsNotEnabled(string name, string type, string execStart)
    {
        string unit = $"/lib/systemd/system/{name}.service";
        // systemd-analyze verify needs no running systemd: it loads the unit, checks ExecStart's binary and
        // the Documentation= man pages.
        var r = Shell.Run("systemd-analyze", "verify", unit);
        output.WriteLine(r.Stdout + r.Stderr);
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain(name, r.Stderr, StringComparison.Ordinal);
        var text = File.ReadAllText(unit);
        Assert.Contains(type, text, StringComparison.Ordinal);
        Assert.Contains(execStart, text, StringComparison.Ordinal);
        Assert.False(File.Exists($"/etc/systemd/system/multi-user.target.wants/{name}.service"));
    }

    [Fact]
    public void CronFileIsAConffile()
    {
        var conffiles = Shell.Check("dpkg-query", "-W", "-f=${Conffiles}", DebianPackage.Name);
        Assert.Contains(CronFile + " ", conffiles, StringComparison.Ordinal);
    }

    [Fact]
    public void LintianReportsNoError()
    {
        var r = Shell.Run("lintian", ["--allow-root", "--no-tag-display-limit", DebianPackage.File], timeout: TimeSpan.FromMinutes(5));
        output.WriteLine(r.Stdout + r.Stderr);
        Assert.DoesNotContain(r.Stdout.Split('\n'), l => l.StartsWith("E: ", StringComparison.Ordinal));
        // lintian exits 1 for errors (and for a failure to run), 0 with warnings only.
        Assert.Equal(0, r.ExitCode);
    }
}
