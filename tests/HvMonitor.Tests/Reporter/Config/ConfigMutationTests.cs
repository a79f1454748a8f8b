using System.Diagnostics;
using System.Text;
using HvMonitor.Reporter.Config;
using Xunit;

namespace HvMonitor.Tests.Reporter.Config;

/// <summary>
/// Property tests: configuration files and drop-in directories mutated at random (fixed seeds, so a failure
/// is reproducible by its case number) through the real loader. Whatever the mutation: no exception other
/// than the loader's own <see cref="ConfigurationException"/>, bounded time and allocation, and the
/// untouched section in its own file is still loaded.
/// </summary>
public class ConfigMutationTests
{
    public const string Victim = """
        [DEFAULT]
        base = qemu+tcp://h
        [victim]
        type=libvirt
        server=%(base)s/system
        owner=Org
        filter_hosts="a, b",c*
        filter_type=wildcards
        rhsm_encrypted_password=b4f98c1c1879f21addfe45f94a05b8dd
        hypervisor_id=uuid
          continued line
        ; comment
        # comment
        [second]
        type=cbsd
        owner=o

        """;

    public const string General = """
        [global]
        interval=120
        debug=false
        reporter_id=r1
        [defaults]
        rhsm_hostname=example.com
        [system_environment]
        x_test=1
        """;

    /// <summary>Pieces a mutation inserts: syntax, interpolation, fan-outs, control characters, odd Unicode.</summary>
    private static readonly string[] Pieces =
    [
        "%", "%%", "%(", "%(base)s", "%(victim)s", "%(nokey)s", ")s", "[", "]", "[victim]", "[DEFAULT]", "[global]", "=", ":",
        "\n", "\r", "\r\n", "\n  ", "\0", "\f", "\v", "\u001c", "\u0085", "\u2028", "\uFFFD", "é", "\"", "'", "\\", ",",
        "server=", "type=", "owner=", "filter_type=regex", "filter_hosts=\"unterminated", "configs=/dev/zero",
        "rhsm_encrypted_password=zz", "encrypted_password=abc", "hypervisor_id=", "sm_type=satellite",
        HostileConfigTests.FanOut("fan", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"),
        HostileConfigTests.FanOut("fan0", ""),
        new string('z', 5000),
    ];

    public static string Mutate(string text, Random random)
    {
        var s = new StringBuilder(text);
        int edits = random.Next(1, 6);
        for (int e = 0; e < edits; e++)
        {
            int at = s.Length == 0 ? 0 : random.Next(s.Length + 1);
            switch (random.Next(6))
            {
                case 0:
                    s.Insert(at, Pieces[random.Next(Pieces.Length)]);
                    break;
                case 1 when s.Length > 0:
                    s.Remove(Math.Min(at, s.Length - 1), Math.Min(random.Next(1, 20), s.Length - Math.Min(at, s.Length - 1)));
                    break;
                case 2:
                    s.Insert(at, (char)random.Next(0, 0x3000));
                    break;
                case 3 when s.Length > 0:
                    // duplicate a slice (duplicate keys and sections)
                    int from = random.Next(s.Length);
                    int length = Math.Min(random.Next(1, 60), s.Length - from);
                    s.Insert(at, s.ToString(from, length));
                    break;
                case 4:
                    s.Length = at; // truncate
                    break;
                default:
                    s.Insert(at, $"\nk{random.Next(5)}=%(k{random.Next(5)})s%(k{random.Next(5)})s\n");
                    break;
            }
        }
        return s.ToString();
    }

    public static TheoryData<int> DropInCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 300; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(DropInCases))]
    public void AMutatedDropInNeverBreaksTheLoaderNorTheIntactSection(int seed)
    {
        var random = new Random(seed);
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", General);
        root.DropIn("intact.conf", "[intact]\ntype=libvirt\n");
        root.DropIn("victim.conf", Mutate(Victim, random));
        if (random.Next(4) == 0)
            AddSpecialEntry(root, random);

        var (configuration, lines, failure) = Measured(root, seed);
        Assert.True(failure is null, $"case {seed}: {failure}\n{string.Join('\n', lines)}");
        Assert.Contains(configuration!.Sections, s => s.Name == "intact");
    }

    [Theory]
    [MemberData(nameof(GeneralCases))]
    public void AMutatedGeneralFileNeverBreaksTheLoader(int seed)
    {
        var random = new Random(10_000 + seed);
        using var root = new TempSysroot();
        root.Write("/etc/virt-who.conf", Mutate(General + Victim.Replace("[DEFAULT]", "[x]", StringComparison.Ordinal), random));
        root.DropIn("intact.conf", "[intact]\ntype=libvirt\n");
        // A mutated [global] may name configs= files or break [defaults]; what must hold is no crash and no hang.
        Measured(root, seed);
    }

    public static TheoryData<int> GeneralCases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < 100; i++)
            data.Add(i);
        return data;
    }

    private static (ReporterConfiguration? Configuration, List<string> Lines, string? Failure) Measured(TempSysroot root, int seed)
    {
        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (configuration, log, failure) = root.Load(); // anything but ConfigurationException fails the test
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"case {seed} took {clock.Elapsed}");
        Assert.True(allocated < 512L * 1024 * 1024, $"case {seed} allocated {allocated} bytes");
        return (configuration, ConfigMessageTests.Lines(log), failure);
    }

    /// <summary>Something in virt-who.d that is not a plain file: a FIFO, /dev/zero, a directory, a dangling link.</summary>
    private static void AddSpecialEntry(TempSysroot root, Random random)
    {
        var path = root.Paths.Under($"/etc/virt-who.d/special{random.Next(100)}.conf");
        switch (random.Next(4))
        {
            case 0: HostileConfigTests.MakeFifo(path); break;
            case 1: File.CreateSymbolicLink(path, "/dev/zero"); break;
            case 2: Directory.CreateDirectory(path); break;
            default: File.CreateSymbolicLink(path, "/nonexistent/target.conf"); break;
        }
    }
}
