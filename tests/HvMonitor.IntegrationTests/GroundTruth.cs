using System.Globalization;
using System.Text.RegularExpressions;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// What the host says, read with the system's own tools (virsh, ps, /proc), independently of hv-monitor's
/// parsers: this deliberately does not call any HvMonitor code.
/// </summary>
public static partial class GroundTruth
{
    public static string Virsh(string uri, params string[] args) => Shell.Check("virsh", ["-r", "-c", uri, .. args]);

    /// <summary>
    /// On the shared lab libvirtd only the suite's own guests (<see cref="LabGuests.IsOurs"/>): other users' guests
    /// come and go. A test driver URI is the test's alone, so every domain there counts.
    /// </summary>
    private static bool Counts(string uri, string name) => uri != LabFixture.Uri || LabGuests.IsOurs(name);

    public static List<string> DomainNames(string uri) =>
        Virsh(uri, "list", "--all", "--name").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(n => Counts(uri, n)).ToList();

    /// <summary>
    /// `virsh domstats --raw` as name → key → value (our guests only on the lab, see <see cref="Counts"/>). On the lab
    /// it names our guests: over every domain, one of another user's guests destroyed while virsh asks its QEMU
    /// fails the whole call ("Unable to read from monitor: Connection reset by peer", seen in CI).
    /// </summary>
    public static Dictionary<string, Dictionary<string, string>> DomStats(string uri)
    {
        var result = new Dictionary<string, Dictionary<string, string>>();
        Dictionary<string, string>? current = null;
        string[] domains = uri == LabFixture.Uri ? [.. DomainNames(uri)] : [];
        foreach (var line in Virsh(uri, ["domstats", "--raw", .. domains]).Split('\n'))
        {
            var m = DomainLine().Match(line);
            if (m.Success)
                current = Counts(uri, m.Groups[1].Value) ? result[m.Groups[1].Value] = new Dictionary<string, string>() : null;
            else if (current is not null && line.Contains('='))
                current[line.Trim()[..line.Trim().IndexOf('=')]] = line.Trim()[(line.Trim().IndexOf('=') + 1)..];
        }
        return result;
    }

    [GeneratedRegex("^Domain: '(.*)'$")]
    private static partial Regex DomainLine();

    public static ulong U(this Dictionary<string, string> stats, string key) =>
        stats.TryGetValue(key, out var v) ? ulong.Parse(v, CultureInfo.InvariantCulture) : 0;

    /// <summary>`virsh domiflist`: one row per interface: Interface Type Source Model MAC.</summary>
    public static List<string[]> DomIfList(string uri, string name) =>
        Virsh(uri, "domiflist", name).Split('\n').Skip(2)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(cols => cols.Length >= 5)
            .ToList();

    public static int SnapshotCount(string uri, string name) =>
        Virsh(uri, "snapshot-list", name, "--name").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    /// <summary>
    /// The QEMU pid of a running guest of any name, from libvirt's status file /run/libvirt/qemu/NAME.xml
    /// (root only; named after the exact name), <c>&lt;domstatus pid='…'&gt;</c>, checked against the pid file.
    /// The pid file cannot be found from the name alone: libvirt writes the one of <c>lab "q" \b</c> as
    /// <c>lab &amp;quot;q&amp;quot; \b.pid</c>, so the pid file checked is whichever holds that pid.
    /// </summary>
    public static int QemuPid(string name)
    {
        var status = System.Xml.Linq.XDocument.Load($"/run/libvirt/qemu/{name}.xml").Root!;
        if (status.Name.LocalName != "domstatus" || status.Element("domain")?.Element("name")?.Value != name)
            throw new InvalidOperationException($"/run/libvirt/qemu/{name}.xml is not the status of '{name}'");
        var pid = int.Parse(status.Attribute("pid")!.Value, CultureInfo.InvariantCulture);
        var pidFiles = Directory.GetFiles("/run/libvirt/qemu", "*.pid")
            .Where(f => int.TryParse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture, out var p) && p == pid);
        if (!pidFiles.Any())
            throw new InvalidOperationException($"no pid file under /run/libvirt/qemu holds {pid}, the pid of '{name}'");
        return pid;
    }

    /// <summary>`ps -o COL= -p PID` for one column, as text.</summary>
    public static string Ps(int pid, string column) => Shell.Check("ps", "-o", column + "=", "-p", pid.ToString(CultureInfo.InvariantCulture)).Trim();

    /// <summary>/proc/PID/stat field N (1-based, as in proc(5)), split after the last ')'.</summary>
    public static ulong ProcStatField(int pid, int field)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return ulong.Parse(rest[field - 3], CultureInfo.InvariantCulture);
    }

    public static ulong ProcStatusValue(int pid, string key)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        return ulong.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The lab's libvirtd, from the pid file it writes (lab.sh reads the same one), checked to be alive and named
    /// libvirtd. Not `pidof -s libvirtd`: while a guest starts, libvirtd's forked child is named libvirtd too until it
    /// execs QEMU, and other users' guests start all the time (ForeignChurn); stopping that child instead of the
    /// daemon once made a hung-libvirtd test see a daemon that answered.
    /// </summary>
    public static int LibvirtdPid()
    {
        var pid = int.Parse(File.ReadAllText("/run/libvirtd.pid").Trim(), CultureInfo.InvariantCulture);
        var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
        if (comm != "libvirtd")
            throw new InvalidOperationException($"/run/libvirtd.pid names {pid}, which is '{comm}', not libvirtd");
        return pid;
    }

    public static long ClockTicks => long.Parse(Shell.Check("getconf", "CLK_TCK").Trim(), CultureInfo.InvariantCulture);
}
