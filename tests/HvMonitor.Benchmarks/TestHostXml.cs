using System.Globalization;
using System.Text;

namespace HvMonitor.Benchmarks;

/// <summary>
/// Writes a host description for libvirt's test driver (<c>test:///ABSOLUTE/PATH</c>): a node with
/// one NAT network that has a bridge, and N domains. Each domain has two disks, two NICs (one on that
/// network, one on a host bridge), a VNC console, libosinfo metadata and one or two snapshots
/// (<c>&lt;test:domainsnapshot&gt;</c>, the test driver's way to preload them). Most domains run, some are
/// paused, some shut off (<c>&lt;test:runstate&gt;</c>), as on a real host.
/// </summary>
public static class TestHostXml
{
    public const string NetworkName = "bench-net";
    public const string NetworkBridge = "virbr-bench";
    private const string TestNs = "http://libvirt.org/schemas/domain/test/1.0";

    public static string DomainName(int i) => "bench-" + i.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Writes DIR/host-N.xml (once; the content depends only on N) and returns its absolute path.</summary>
    public static string Write(string dir, int domains)
    {
        Directory.CreateDirectory(dir);
        var path = Path.GetFullPath(Path.Combine(dir, $"host-{domains}.xml"));
        var xml = Generate(domains);
        if (!File.Exists(path) || File.ReadAllText(path) != xml)
            File.WriteAllText(path, xml);
        return path;
    }

    public static string Generate(int domains)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(4096 + domains * 2400);
        sb.Append("<?xml version='1.0'?>\n<node>\n");
        sb.Append("  <cpu><mhz>2400</mhz><model>x86_64</model><active>2</active><nodes>1</nodes><sockets>1</sockets><cores>2</cores><threads>1</threads></cpu>\n");
        sb.Append("  <memory>25165824</memory>\n");
        sb.Append(inv, $"  <network>\n    <name>{NetworkName}</name>\n    <bridge name='{NetworkBridge}'/>\n    <forward mode='nat'/>\n");
        sb.Append("    <ip address='192.168.200.1' netmask='255.255.255.0'/>\n  </network>\n");
        for (int i = 1; i <= domains; i++)
        {
            string name = DomainName(i);
            string uuid = $"b0000000-0000-4000-8000-{i:D12}";
            string mac2 = $"52:54:00:{(i >> 16) & 0xff:x2}:{(i >> 8) & 0xff:x2}:{i & 0xff:x2}";
            string mac1 = $"52:54:01:{(i >> 16) & 0xff:x2}:{(i >> 8) & 0xff:x2}:{i & 0xff:x2}";
            // 1 running, 3 paused, 5 shut off: 80 % / 5 % / 15 %.
            int runState = (i % 20) switch { 0 => 3, 1 or 2 or 3 => 5, _ => 1 };
            sb.Append(inv, $"  <domain type='test' xmlns:test='{TestNs}'>\n");
            sb.Append(inv, $"    <name>{name}</name>\n    <uuid>{uuid}</uuid>\n");
            sb.Append("    <metadata><libosinfo:libosinfo xmlns:libosinfo='http://libosinfo.org/xmlns/libvirt/domain/1.0'>");
            sb.Append("<libosinfo:os id='http://debian.org/debian/12'/></libosinfo:libosinfo></metadata>\n");
            sb.Append(inv, $"    <memory unit='KiB'>{262144 * (1 + i % 4)}</memory>\n    <vcpu>{1 + i % 4}</vcpu>\n");
            sb.Append("    <os><type arch='x86_64'>hvm</type></os>\n    <devices>\n");
            sb.Append(inv, $"      <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/{name}-root.qcow2'/><target dev='vda' bus='virtio'/></disk>\n");
            sb.Append(inv, $"      <disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='/var/lib/libvirt/images/{name}-data.img'/><target dev='vdb' bus='virtio'/></disk>\n");
            sb.Append(inv, $"      <interface type='network'><mac address='{mac1}'/><source network='{NetworkName}'/><model type='virtio'/></interface>\n");
            sb.Append(inv, $"      <interface type='bridge'><mac address='{mac2}'/><source bridge='br0'/><model type='virtio'/></interface>\n");
            sb.Append(inv, $"      <graphics type='vnc' port='{5900 + i}' autoport='no' listen='127.0.0.1'/>\n");
            sb.Append("    </devices>\n");
            int snapshots = i % 5 == 0 ? 2 : 1;
            for (int s = 1; s <= snapshots; s++)
            {
                sb.Append(inv, $"    <test:domainsnapshot><name>{name}-snap{s}</name><state>running</state>");
                sb.Append(inv, $"<creationTime>{1700000000 + i * 10 + s}</creationTime><active>{(s == snapshots ? 1 : 0)}</active>");
                if (s > 1)
                    sb.Append(inv, $"<parent><name>{name}-snap{s - 1}</name></parent>");
                sb.Append(inv, $"<domain type='test'><name>{name}</name><uuid>{uuid}</uuid><memory unit='KiB'>262144</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>");
                sb.Append("</test:domainsnapshot>\n");
            }
            if (runState != 1)
                sb.Append(inv, $"    <test:runstate>{runState}</test:runstate>\n");
            sb.Append("  </domain>\n");
        }
        sb.Append("</node>\n");
        return sb.ToString();
    }
}
