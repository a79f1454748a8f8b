using HvMonitor.Reporter.Logging;
using Xunit;

namespace HvMonitor.Tests.Reporter.Config;

/// <summary>
/// Every message of docs/virt-who-compatibility.md, "Validation messages", from literal config text through the real file loader on a
/// temporary --sysroot: the drop-in file is /etc/virt-who.d/test.conf, its section is [test].
/// </summary>
public class ConfigMessageTests
{
    private const string Key = "06a9214036b8a15b512e03d534120006\n3dafba429d9eb430b422da802c9fac41\n";

    public static TheoryData<string, string, bool> Cases => new()
    {
        // drop-in text, expected "LEVEL: text" line, section still valid
        { "[test]\ntype=libvirt\nserver=qemu+ssh://h/system\n", "ERROR: [test]: Required option: \"owner\" not set.", false },
        { "[test]\ntype=libvirt\nhypervisor_id=hwuuid\n", "ERROR: [test]: Invalid option: \"hwuuid\" for hypervisor_id, use one of: (uuid, hostname)", false },
        { "[test]\ntype=libvirt\nfilter_type=glob\n", "ERROR: [test]: 'filter_type' must be one of: 'regex, wildcards'", false },
        { "[test]\ntype=libvirt\nowner=o\nrhsm_encrypted_password=b4f98c1c1879f21addfe45f94a05b8dd\n", "ERROR: [test]: Unable to read key file: [Errno 2] No such file or directory: '{root}/var/lib/virt-who/key'", false },
        // virt-who unhexlifies before it reads the key file: bad hex warns and keeps the section, key file or not
        { "[test]\ntype=libvirt\nowner=o\nrhsm_encrypted_password=zz\n", "WARNING: [test]: Option \"rhsm_encrypted_password\" cannot be decrypted, possibly corrupted", true },
        { "[test]\ntype=LIBVIRT\nowner=o\n", "ERROR: [test]: Unsupported virtual type 'LIBVIRT' is set", false },
        { "[test]\ntype=LIBVIRT\nowner=o\n", "WARNING: [test]: Ignoring unknown configuration option \"owner\"", false },
        { "[test]\ntype=\n", "ERROR: [test]: Unsupported virtual type '' is set", false },
        { "[test]\ntype=libvirt\nsm_type=sat6\n", "ERROR: [test]: sm_type must be one of satellite, sam", false },
        { "[test]\ntype=libvirt\nsm_type=satellite\n", "ERROR: [test]: Required option: \"sat_server\" not set.", false },
        { "[test]\ntype=libvirt\nsm_type=satellite\n", "ERROR: [test]: Required option: \"sat_username\" not set.", false },
        { "[test]\ntype=libvirt\nsm_type=satellite\n", "ERROR: [test]: Required option: \"sat_password\" not set.", false },
        { "[test]\ntype=libvirt\nserver=h\nowner=o\npassword=p\n", "WARNING: [test]: Password authentication doesn't work with ssh transport on libvirt backend, copy your public ssh key to the remote machine", true },
        { "[test]\ntype=libvirt\nserver=qemu+ssh://h/\nowner=o\npassword=p\n", "WARNING: [test]: Password authentication doesn't work with ssh transport on libvirt backend, copy your public ssh key to the remote machine", true },
        { "[test]\ntype=libvirt\nfilter_hosts=a*\n", "WARNING: [test]: \"filter_hosts\" is set, but filter_type is not set. Possible values of filter_type: \"regex, wildcards\". Using default: \"wildcards\".", true },
        { "[test]\ntype=libvirt\nexclude_hosts=a*\n", "WARNING: [test]: \"exclude_hosts\" is set, but filter_type is not set. Possible values of filter_type: \"regex, wildcards\". Using default: \"wildcards\".", true },
        { "[test]\ntype=libvirt\nhypervisor_id=hostname\nfilter_type=wildcards\nfilter_hosts=4c4c4544-0034-4d10-8031-b8c04f4a4e32, host1, 4C4C4544-0034-4D10-8031-B8C04F4A4E33\n",
            "WARNING: [test]: Filter values: \"4c4c4544-0034-4d10-8031-b8c04f4a4e32, 4C4C4544-0034-4D10-8031-B8C04F4A4E33\" appear to be UUIDs. UUIDs are not gathered when hypervisor_id = \"hostname\"", true },
        { "[test]\ntype=libvirt\nenv=Library\n", "WARNING: [test]: Ignoring unknown configuration option \"env\"", true },
        { "[test]\ntype=libvirt\nowner=o\nrhsm_hostname=\n", "WARNING: [test]: \"rhsm_hostname\" cannot be empty and has no default value", true },
        { "[test]\ntype=libvirt\nhypervisor_id=\n", "WARNING: [test]: \"hypervisor_id\" cannot be empty, using default: \"uuid\"", true },
        { "[test]\n", "WARNING: [test]: No values provided in: test", true },
        { "[test]\ntype=libvirt\nserver=h\nowner=o\n", "INFO: [test]: Protocol is not specified in libvirt url, using qemu+ssh://", true },
        { "[test]\ntype=libvirt\nserver=qemu+tcp://h\nowner=o\n", "INFO: [test]: Libvirt path is not specified in the url, using /system", true },
        { "[test]\ntype=libvirt\npassword=p\n", "INFO: [test]: Options 'password' set in test is useless for monitoring local libvirtd instance", true },
        // docs/virt-who-compatibility.md, D2: libvirt's encrypted_password is decrypted, so a missing key file is an error here too...
        { "[test]\ntype=libvirt\nencrypted_password=b4f98c1c1879f21addfe45f94a05b8dd\n", "INFO: [test]: Options 'encrypted_password' set in test is useless for monitoring local libvirtd instance", false },
        // ...but, as virt-who, a value that is not hex only warns, before any key file is read
        { "[test]\ntype=libvirt\nencrypted_password=zz\n", "WARNING: [test]: Option \"encrypted_password\" cannot be decrypted, possibly corrupted", true },
        { "[test]\ntype=libvirt\n", "DEBUG: [test]: Value for \"hypervisor_id\" not set, using default: uuid", true },
        // sections that fail are named and dropped
        { "[test]\ntype=libvirt\nhypervisor_id=x\n", "WARNING: Dropping invalid configuration \"test\"", false },
        // out-of-scope virt-who types: validated as virt-who would, then skipped by name
        { "[test]\ntype=esx\nserver=vc\nusername=u\npassword=p\nowner=o\n", "WARNING: [test]: type \"esx\" is not supported by hv-monitor (it collects libvirt and cbsd only); this section is skipped", false },
        { "[test]\ntype=hyperv\nserver=h\n", "ERROR: [test]: Required option: \"owner\" not set.", false },
        { "[test]\ntype=libvirt\nowner=o\nsm_type=satellite\nsat_server=s\nsat_username=u\nsat_password=p\n", "WARNING: [test]: sm_type=satellite (Satellite 5) is not supported by hv-monitor; this section is skipped", false },
        // type=cbsd (hv-monitor's own): reported like a remote host, so it needs an owner
        { "[test]\ntype=cbsd\n", "ERROR: [test]: Required option: \"owner\" not set.", false },
        { "[test]\ntype=cbsd\nowner=o\nserver=h\n", "WARNING: [test]: Option \"server\" is not used by type cbsd (it reads the local CBSD)", true },
        { "[test]\ntype=cbsd\nowner=o\nhypervisor_id=hwuuid\n", "ERROR: [test]: Invalid option: \"hwuuid\" for hypervisor_id, use one of: (uuid, hostname)", false },
        // hv-monitor's own decisions and errors where virt-who crashes
        { "[test]\ntype=libvirt\nserver=\nowner=o\n", "ERROR: [test]: \"server\" cannot be empty: remove it to read the local libvirt, or name the remote host", false },
        { "[test]\ntype=libvirt\nfilter_hosts=\"abc\n", "ERROR: [test]: Option \"filter_hosts\" cannot be parsed: Unterminated double quote sign", false },
        { "[test]\ntype=libvirt\nexclude_hosts='abc\n", "ERROR: [test]: Option \"exclude_hosts\" cannot be parsed: Unterminated single quote sign", false },
        { "[test]\ntype=libvirt\nowner=o\nrhsm_port=https\n", "ERROR: [test]: Option \"rhsm_port\" must be a port number, not \"https\"", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SectionMessage(string dropIn, string expected, bool valid)
    {
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", "[global]\n");
        root.DropIn("test.conf", dropIn);
        // A second, good section keeps the run alive whatever happens to [test].
        root.DropIn("zz-good.conf", "[zz-good]\ntype=libvirt\n");
        var (configuration, log, failure) = root.Load();
        Assert.Null(failure);
        var lines = Lines(log);
        Assert.Contains(expected.Replace("{root}", root.Root, StringComparison.Ordinal), lines);
        Assert.Equal(valid, configuration!.Sections.Any(s => s.Name == "test"));
        Assert.Contains(configuration.Sections, s => s.Name == "zz-good");
    }

    public static TheoryData<string, string> KeyFileCases => new()
    {
        { Key, "WARNING: [test]: Option \"encrypted_password\" cannot be decrypted, possibly corrupted" },
        { "onlyoneline\n", "ERROR: [test]: Unable to read key file: Invalid format" },
    };

    [Theory]
    [MemberData(nameof(KeyFileCases))]
    public void KeyFileMessages(string keyFile, string expected)
    {
        using var root = new TempSysroot();
        root.Write("/var/lib/virt-who/key", keyFile);
        // hex, but not whole AES blocks: the key file is read (hex is checked first), then decryption fails
        root.DropIn("test.conf", "[test]\ntype=libvirt\nserver=qemu+tcp://h/system\nowner=o\nencrypted_password=abcd\n");
        root.DropIn("zz-good.conf", "[zz-good]\ntype=libvirt\n");
        var (_, log, _) = root.Load();
        Assert.Contains(expected, Lines(log));
    }

    [Theory]
    [InlineData("debug=maybe\n", "WARNING: [global]: debug must be a valid boolean, using default: False. See man virt-who-config for more info")]
    [InlineData("interval=30\n", "WARNING: [global]: Interval value can't be lower than 60 seconds. Default value of 3600 seconds will be used.")]
    [InlineData("interval=soon\n", "WARNING: [global]: Interval value can't be lower than 60 seconds. Default value of 3600 seconds will be used.")]
    [InlineData("print=true\n", "WARNING: [global]: Ignoring unknown configuration option \"print\"")]
    [InlineData("\n", "DEBUG: [global]: Value for \"interval\" not set, using default: 3600")]
    [InlineData("reporter_id=\n", "WARNING: [global]: \"reporter_id\" cannot be empty, using default: \"{host}\"")]
    public void GlobalMessages(string global, string expected)
    {
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", "[global]\n" + global);
        var (_, log, _) = root.Load();
        Assert.Contains(expected.Replace("{host}", System.Net.Dns.GetHostName(), StringComparison.Ordinal), Lines(log));
    }

    public static List<string> Lines(MemoryLog log) => log.Lines.Select(l => $"{l.Level.Name()}: {l.Message}").ToList();
}
