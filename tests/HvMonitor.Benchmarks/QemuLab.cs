using System.Globalization;

namespace HvMonitor.Benchmarks;

/// <summary>
/// The real libvirt + QEMU host (normally the one tests/lab/lab.sh sets up). For the run it defines
/// extra defined-only domains named hvm-bench-NNN (never started) so that the host has many domains,
/// starts hvm-bench-run-N guests if fewer than a few guests run, and destroys and undefines all of
/// them again on Dispose. It touches no other domain.
/// </summary>
public sealed class QemuLab : IDisposable
{
    public const string Prefix = "hvm-bench-";
    private const string ImageDir = "/var/lib/libvirt/images/hvm-bench";

    private readonly string _uri;
    private readonly Action<string> _log;
    private readonly string _xmlDir;
    private int _next = 1;
    private bool _disposed;

    private QemuLab(string uri, string workDir, Action<string> log)
    {
        _uri = uri;
        _log = log;
        _xmlDir = Path.Combine(workDir, "lab-xml");
        Directory.CreateDirectory(_xmlDir);
    }

    /// <summary>The lab, or null and why it cannot be used.</summary>
    public static QemuLab? Open(string uri, string workDir, Action<string> log, out string? reason)
    {
        reason = null;
        if (Exec.Which("virsh") is null)
        {
            reason = "virsh is not installed (Debian: libvirt-clients), so no libvirt daemon can be reached";
            return null;
        }
        var probe = Exec.Capture("virsh", "-c", uri, "list", "--all", "--name");
        if (!probe.Ok)
        {
            reason = $"`virsh -c {uri} list` failed: {probe.FirstErrorLine} (start the lab with `sudo bash tests/lab/lab.sh start && sudo bash tests/lab/lab.sh guests-up`)";
            return null;
        }
        var lab = new QemuLab(uri, workDir, log);
        lab.RemoveBenchDomains(); // leftovers of an interrupted run
        return lab;
    }

    public IReadOnlyList<string> Names(params string[] filter)
    {
        var args = new List<string> { "-c", _uri, "list", "--name" };
        args.AddRange(filter.Length == 0 ? ["--all"] : filter);
        var r = Exec.Capture("virsh", [.. args]);
        if (!r.Ok)
            throw new InvalidOperationException($"virsh list failed: {r.FirstErrorLine}");
        return r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => n.Trim().Length > 0).ToList();
    }

    /// <summary>"N domains: R running, P paused, O shut off (B of them hvm-bench-*)".</summary>
    public string Describe()
    {
        var all = Names();
        int running = Names("--state-running").Count, paused = Names("--state-paused").Count, off = Names("--state-shutoff").Count;
        int bench = all.Count(n => n.StartsWith(Prefix, StringComparison.Ordinal) && !n.StartsWith(Prefix + "run-", StringComparison.Ordinal));
        int benchRunning = all.Count(n => n.StartsWith(Prefix + "run-", StringComparison.Ordinal));
        return $"{all.Count} domains: {running} running, {paused} paused, {off} shut off; for this run the harness started {benchRunning} " +
               $"guests ({Prefix}run-K) and defined {bench} more, never started ({Prefix}NNN)";
    }

    /// <summary>
    /// Starts hvm-bench-run-N guests (tiny TCG VMs with nothing to boot, which idle) until WANTED domains
    /// run on the host, so the lab scenario has live QEMU processes even when the lab's own guests are down.
    /// </summary>
    public void StartRunningUpTo(int wanted)
    {
        int running = Names("--state-running").Count;
        if (running >= wanted)
            return;
        _log($"lab: starting {wanted - running} {Prefix}run-N guests (TCG, 64 MiB, nothing to boot)");
        bool bridge = Directory.Exists("/sys/class/net/hvmbr0");
        for (int k = 1; running < wanted; k++)
        {
            string name = $"{Prefix}run-{k}";
            if (Names().Contains(name))
                continue;
            string disk = CreateDisk(name);
            var xmlPath = Path.Combine(_xmlDir, name + ".xml");
            File.WriteAllText(xmlPath, DomainXml(name, 900 + k, disk, bridge));
            var r = Exec.Capture("virsh", "-q", "-c", _uri, "define", xmlPath);
            if (!r.Ok)
                throw new InvalidOperationException($"virsh define {name} failed: {r.FirstErrorLine}");
            r = Exec.Capture("virsh", "-q", "-c", _uri, "start", name);
            if (!r.Ok)
                throw new InvalidOperationException($"virsh start {name} failed: {r.FirstErrorLine}");
            running++;
        }
    }

    private string CreateDisk(string name)
    {
        string disk = Path.Combine(ImageDir, name + ".qcow2");
        if (Exec.Which("qemu-img") is null)
            return disk;
        Directory.CreateDirectory(ImageDir);
        var img = Exec.Capture("qemu-img", "create", "-q", "-f", "qcow2", disk, "1G");
        if (!img.Ok)
            throw new InvalidOperationException($"qemu-img create {disk} failed: {img.FirstErrorLine}");
        return disk;
    }

    /// <summary>Defines hvm-bench-NNN domains until the host has TOTAL domains (none if it already has that many).</summary>
    public void DefineUpTo(int total)
    {
        int have = Names().Count;
        if (have >= total)
            return;
        bool bridge = Directory.Exists("/sys/class/net/hvmbr0");
        _log($"lab: defining {total - have} {Prefix}NNN domains (defined only, never started)");
        for (; have < total; have++, _next++)
        {
            string name = Prefix + _next.ToString("D3", CultureInfo.InvariantCulture);
            if (Names().Contains(name))
                continue;
            string disk = CreateDisk(name);
            var xmlPath = Path.Combine(_xmlDir, name + ".xml");
            File.WriteAllText(xmlPath, DomainXml(name, _next, disk, bridge));
            var r = Exec.Capture("virsh", "-q", "-c", _uri, "define", xmlPath);
            if (!r.Ok)
                throw new InvalidOperationException($"virsh define {name} failed: {r.FirstErrorLine}");
        }
    }

    private static string DomainXml(string name, int i, string disk, bool bridge) => $"""
        <domain type='qemu'>
          <name>{name}</name>
          <metadata>
            <libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>
              <libosinfo:os id='http://debian.org/debian/12'/>
            </libosinfo:libosinfo>
          </metadata>
          <memory unit='MiB'>64</memory>
          <vcpu>1</vcpu>
          <os><type arch='x86_64'>hvm</type></os>
          <devices>
            <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2'/>
              <source file='{disk}'/>
              <target dev='vda' bus='virtio'/>
            </disk>
            {(bridge ? $"<interface type='bridge'><mac address='52:54:00:be:{(i >> 8) & 0xff:x2}:{i & 0xff:x2}'/><source bridge='hvmbr0'/><model type='virtio'/></interface>" : "")}
            <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
          </devices>
        </domain>
        """;

    private void RemoveBenchDomains()
    {
        IReadOnlyList<string> names;
        try
        {
            names = Names();
        }
        catch (InvalidOperationException e)
        {
            _log($"lab: cannot list domains for clean-up: {e.Message}");
            return;
        }
        var bench = names.Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        if (bench.Count > 0)
            _log($"lab: undefining {bench.Count} {Prefix}NNN domains");
        foreach (var name in bench)
        {
            Exec.Capture("virsh", "-q", "-c", _uri, "destroy", name); // only the -run-N ones are running
            var r = Exec.Capture("virsh", "-q", "-c", _uri, "undefine", name, "--snapshots-metadata");
            if (!r.Ok)
                _log($"lab: undefine {name} failed: {r.FirstErrorLine}");
        }
        if (Directory.Exists(ImageDir))
            Directory.Delete(ImageDir, recursive: true);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        RemoveBenchDomains();
    }
}
