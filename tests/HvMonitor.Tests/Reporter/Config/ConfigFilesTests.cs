using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Sources;
using Xunit;
using static HvMonitor.Tests.Reporter.Config.ConfigMessageTests;

namespace HvMonitor.Tests.Reporter.Config;

/// <summary>Which files are read and how sections combine (docs/virt-who-compatibility.md, "Configuration files", "The [global] section", "Destinations and rhsm.conf"), via the real loader.</summary>
public class ConfigFilesTests
{
    [Fact]
    public void NothingConfiguredSynthesisesTheLocalCmdlineSection()
    {
        using var root = new TempSysroot();
        var (configuration, log, failure) = root.Load();
        Assert.Null(failure);
        var lines = Lines(log);
        Assert.Contains($"ERROR: Unable to read configuration file {root.Root}/etc/virt-who.conf", lines);
        Assert.Contains("WARNING: Using default \"cmdline\" configuration", lines);
        var only = Assert.Single(configuration!.Sections);
        Assert.Equal("cmdline", only.Name);
        Assert.False(only.Settings.IsRemote);
        Assert.Null(only.Destination.Owner);
    }

    [Fact]
    public void ConfFilesWithoutSectionsStopTheRun()
    {
        using var root = new TempSysroot();
        root.DropIn("comments.conf", "# nothing here\n");
        root.DropIn("empty.conf", "owner=x\n");
        var (_, log, failure) = root.Load();
        Assert.Equal("hv-monitor can't be started: no valid configuration found", failure);
        Assert.Contains("ERROR: The configuration files do not have any valid section headers", Lines(log));
        Assert.Contains($"ERROR: Configuration file {root.Root}/etc/virt-who.d/empty.conf contains no section headers", Lines(log));
    }

    [Fact]
    public void TemplateConfAloneStillGivesCmdline()
    {
        using var root = new TempSysroot();
        root.DropIn("template.conf", "#[libvirt]\n#type=libvirt\n");
        var (configuration, _, failure) = root.Load();
        Assert.Null(failure);
        Assert.Equal("cmdline", Assert.Single(configuration!.Sections).Name);
    }

    [Fact]
    public void OnlyInvalidSectionsMeanNoValidConfiguration()
    {
        using var root = new TempSysroot();
        root.DropIn("bad.conf", "[bad]\ntype=vmware\n");
        var (_, log, failure) = root.Load();
        Assert.Equal("hv-monitor can't be started: no valid configuration found", failure);
        Assert.Contains("WARNING: No valid configurations found", Lines(log));
    }

    [Fact]
    public void BadFilesAreSkippedWithVirtWhosMessagesAndTheOthersRun()
    {
        using var root = new TempSysroot();
        var percent = root.DropIn("a-percent.conf", "[p]\ntype=libvirt\npassword=abc%cd\n");
        var garbage = root.DropIn("b-garbage.conf", "[g]\ntype=libvirt\nthis is not an option\n");
        root.DropIn(".hidden.conf", "[hidden]\ntype=libvirt\n");
        root.DropIn("notes.txt", "[txt]\ntype=libvirt\n");
        root.DropIn("c-good.conf", "[good]\ntype=libvirt\n");
        var (configuration, log, _) = root.Load();
        var lines = Lines(log);
        Assert.Contains($"ERROR: Config file \"{percent}\" skipped because of an error: '%' must be followed by '%' or '(', found: '%cd'", lines);
        Assert.Contains($"ERROR: Config file \"{garbage}\" skipped because of an error: Source contains parsing errors: '{garbage}'\n\t[line  3]: 'this is not an option\\n'", lines);
        Assert.Equal(["good"], configuration!.Sections.Select(s => s.Name));
    }

    [Fact]
    public void SectionsComeFromTheGeneralFileAndDropInsSortedByNameAndSpecialSectionsOnlyCountInTheGeneralFile()
    {
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", "[global]\ninterval=120\n[defaults]\nhypervisor_id=hostname\n[zeta]\ntype=libvirt\n");
        root.DropIn("x.conf", "[global]\ninterval=600\n[alpha]\ntype=libvirt\n[defaults]\nowner=ignored\n");
        var (configuration, _, _) = root.Load();
        Assert.Equal(120, configuration!.Global.Interval);
        Assert.Equal(["alpha", "zeta"], configuration.Sections.Select(s => s.Name));
        Assert.All(configuration.Sections, s => Assert.Equal("hostname", s.Settings.HypervisorId));
        Assert.All(configuration.Sections, s => Assert.Null(s.Settings.Owner));
    }

    [Fact]
    public void ABadDefaultInvalidatesEverySection()
    {
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", "[defaults]\nhypervisor_id=serial\n");
        root.DropIn("a.conf", "[a]\ntype=libvirt\n[b]\ntype=libvirt\n");
        var (_, log, failure) = root.Load();
        Assert.NotNull(failure);
        Assert.Contains("WARNING: Dropping invalid configuration \"a\"", Lines(log));
        Assert.Contains("WARNING: Dropping invalid configuration \"b\"", Lines(log));
    }

    [Fact]
    public void CommandLineConfigsReplaceTheDropInsAndIgnoreTheirGlobal()
    {
        using var root = new TempSysroot();
        root.DropIn("dropin.conf", "[dropin]\ntype=libvirt\n");
        var given = Path.Combine(root.Root, "given.conf");
        File.WriteAllText(given, "[global]\ndebug=true\n[given]\ntype=libvirt\n");
        var (configuration, log, _) = root.Load(given);
        Assert.Equal(["given"], configuration!.Sections.Select(s => s.Name));
        Assert.False(configuration.Global.Debug);
        Assert.Contains($"INFO: Using configuration passed in by -c/--configs; ignoring configuration files in '{root.Root}/etc/virt-who.d/'", Lines(log));
    }

    [Fact]
    public void MissingCommandLineConfigsStopTheRun()
    {
        using var root = new TempSysroot();
        var (_, _, failure) = root.Load(Path.Combine(root.Root, "nope.conf"));
        Assert.Equal("No valid configuration file provided using -c/--config", failure);
    }

    [Fact]
    public void ASectionlessCommandLineConfigFallsBackToTheNormalFiles()
    {
        using var root = new TempSysroot();
        root.DropIn("dropin.conf", "[dropin]\ntype=libvirt\n");
        var given = Path.Combine(root.Root, "given.conf");
        File.WriteAllText(given, "[global]\n");
        var (configuration, _, _) = root.Load(given);
        Assert.Equal(["dropin"], configuration!.Sections.Select(s => s.Name));
    }

    [Fact]
    public void GlobalValuesAreReadAndPrintImpliesOneShot()
    {
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", "[global]\ninterval=90\ndebug=YES\nprint_=on\nreporter_id=\"rep 1\"\nlog_dir=/tmp/logs\nlog_file=vw.log\nconfigs=\n");
        root.Write("/etc/machine-id", "0123456789abcdef\n");
        var (configuration, _, _) = root.Load();
        var g = configuration!.Global;
        Assert.Equal((90, true, true, true, "rep 1", $"{root.Root}/tmp/logs", "vw.log"), (g.Interval, g.Debug, g.Print, g.OneShot, g.ReporterId, g.LogDir, g.LogFile));
    }

    [Fact]
    public void ReporterIdDefaultsToHostnameDashMachineId()
    {
        using var root = new TempSysroot();
        root.Write("/etc/machine-id", "0123456789abcdef\nsecond line\n");
        var (configuration, _, _) = root.Load();
        Assert.Equal($"{System.Net.Dns.GetHostName()}-0123456789abcdef", configuration!.Global.ReporterId);
        Assert.Equal($"{root.Root}/var/log/rhsm", configuration.Global.LogDir);
    }

    [Fact]
    public void DestinationComesFromRhsmConfOverriddenByRhsmKeys()
    {
        using var root = new TempSysroot();
        root.Write("/etc/rhsm/rhsm.conf",
            "[server]\nhostname = sat.example.com\nport = 8443\nprefix = /rhsm\ninsecure = 0\nproxy_hostname = proxy\nproxy_port = 3129\n" +
            "[rhsm]\nca_cert_dir = /etc/rhsm/ca/\nconsumerCertDir = /etc/pki/consumer\nrepo_ca_cert = %(ca_cert_dir)sredhat-uep.pem\n");
        root.DropIn("a.conf",
            "[remote]\ntype=libvirt\nserver=qemu+tcp://h/system\nowner=Org1\nrhsm_hostname=cp.example.com\nrhsm_username=admin\nrhsm_password=pw\nrhsm_insecure=1\nrhsm_proxy_hostname=\n" +
            "[local]\ntype=libvirt\n");
        var (configuration, _, _) = root.Load();
        var local = configuration!.Sections.Single(s => s.Name == "local").Destination;
        Assert.Null(local.Owner);
        Assert.Equal(("sat.example.com", 8443, "/rhsm", false), (local.Hostname, local.Port, local.Prefix, local.Insecure));
        Assert.Equal(new Model_Proxy("proxy", 3129), new Model_Proxy(local.Proxy!.Hostname, local.Proxy.Port));
        Assert.Equal($"{root.Root}/etc/rhsm/ca/", local.CaCertDir);
        Assert.Equal($"{root.Root}/etc/pki/consumer", local.ConsumerCertDir);
        var remote = configuration.Sections.Single(s => s.Name == "remote").Destination;
        Assert.Equal(("Org1", "cp.example.com", 8443, "admin", "pw", true), (remote.Owner, remote.Hostname, remote.Port, remote.Username, remote.Password!.Reveal(), remote.Insecure));
        Assert.Null(remote.Proxy);
    }

    private sealed record Model_Proxy(string Host, int Port);

    [Fact]
    public void EncryptedPasswordsAreDecryptedIncludingLibvirts()
    {
        using var root = new TempSysroot();
        root.Write("/var/lib/virt-who/key", "06a9214036b8a15b512e03d534120006\n3dafba429d9eb430b422da802c9fac41\n");
        root.DropIn("a.conf",
            "[a]\ntype=libvirt\nserver=qemu+tcp://h/system\nowner=o\nusername=u\npassword=plain\nencrypted_password=b4f98c1c1879f21addfe45f94a05b8dd\n" +
            "rhsm_encrypted_password=0e48a66b96ed34e079aaba0fd0122af0\n");
        var (configuration, _, _) = root.Load();
        var a = Assert.Single(configuration!.Sections);
        Assert.Equal("secret", a.Settings.Password!.Reveal());
        Assert.Equal("pässwörd", a.Destination.Password!.Reveal());
    }

    [Fact]
    public void SectionWithoutTypeRunsLibvirtWithoutRewriteOrHypervisorIdCheck()
    {
        using var root = new TempSysroot();
        root.DropIn("a.conf", "[a]\nserver=qemu+tcp://h:16509/system\nowner=o\nhypervisor_id=hwuuid\n[b]\nvirt_type=libvirt\nserver=h\nowner=o\n");
        var (configuration, log, _) = root.Load();
        var a = configuration!.Sections.Single(s => s.Name == "a").Settings;
        Assert.Equal(("qemu+tcp://h:16509/system", "hwuuid", true), (a.Uri, a.HypervisorId, a.IsGeneric));
        Assert.Equal("qemu+ssh://h/system?no_tty=1", configuration.Sections.Single(s => s.Name == "b").Settings.Uri);
        Assert.DoesNotContain(Lines(log), l => l.StartsWith("ERROR: [", StringComparison.Ordinal));
    }

    [Fact]
    public void AliasesAndListsAreRead()
    {
        using var root = new TempSysroot();
        root.DropIn("a.conf", "[a]\ntype=libvirt\nserver=qemu+tcp://h/system\nowner=o\nfilter_type=regex\nfilter_host_uuids=\"a, b\", c\\,d ,\nexclude_host_uuids=x\n");
        var (configuration, _, _) = root.Load();
        var filter = Assert.Single(configuration!.Sections).Settings.Filter;
        Assert.Equal(["a, b", "c,d"], filter.FilterHosts!);
        Assert.Equal(["x"], filter.ExcludeHosts!);
        Assert.Equal(FilterType.Regex, filter.Type);
    }

    [Fact]
    public void DuplicateOptionsAreLoggedAndTheLastWins()
    {
        using var root = new TempSysroot();
        var path = root.DropIn("a.conf", "[a]\ntype=libvirt\nhypervisor_id=uuid\nhypervisor_id=hostname\n");
        var (configuration, log, _) = root.Load();
        Assert.Contains($"WARNING: While reading from '{path}' [line  4]: option 'hypervisor_id' in section 'a' already exists", Lines(log));
        Assert.Equal("hostname", Assert.Single(configuration!.Sections).Settings.HypervisorId);
    }
}
