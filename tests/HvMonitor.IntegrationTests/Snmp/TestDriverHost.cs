using System.Globalization;
using System.Security;
using System.Text;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// A host for libvirt's test driver (test:///ABSOLUTE/PATH.xml): a &lt;node&gt; of N running domains, each
/// laid out like a typical server guest (two virtio disks, a bridged NIC, VNC). The test driver reports
/// no counters, so its domains' JSON is as long as a real guest's but full of zeros, which gzip squeezes
/// far more than real counters (17 compressed bytes a VM). <c>varied</c> gives each domain what can vary
/// in the test driver's output (a UUID-style name, four NICs with random MACs, odd memory sizes): about
/// 100 compressed bytes a VM, like real idle guests (83 measured) and a third of busy ones'.
/// </summary>
public static class TestDriverHost
{
    public static string Write(string directory, int domains, bool varied = false, int seed = 1)
    {
        var random = new Random(seed);
        var xml = new StringBuilder("<node>\n");
        for (int i = 0; i < domains; i++)
        {
            string name = varied ? $"vm-{Guid(random)}" : $"vm-{i:D4}.example.com";
            long memoryMiB = varied ? 512 + random.Next(0, 64 * 1024) : 4096;
            int nics = varied ? 4 : 1;
            xml.Append(CultureInfo.InvariantCulture, $"""
                <domain type='test'>
                  <name>{SecurityElement.Escape(name)}</name>
                  <memory unit='MiB'>{memoryMiB}</memory>
                  <currentMemory unit='MiB'>{memoryMiB}</currentMemory>
                  <vcpu>{(varied ? 1 + random.Next(0, 16) : 2)}</vcpu>
                  <os><type arch='x86_64'>hvm</type></os>
                  <devices>
                    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/vm-{i}-vda.qcow2'/><target dev='vda' bus='virtio'/></disk>
                    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/vm-{i}-vdb.qcow2'/><target dev='vdb' bus='virtio'/></disk>

                """);
            for (int n = 0; n < nics; n++)
            {
                var mac = varied
                    ? $"52:54:00:{random.Next(256):x2}:{random.Next(256):x2}:{random.Next(256):x2}"
                    : $"52:54:00:{i >> 16 & 255:x2}:{i >> 8 & 255:x2}:{i & 255:x2}";
                xml.Append(CultureInfo.InvariantCulture,
                    $"      <interface type='bridge'><mac address='{mac}'/><source bridge='br0'/><target dev='vnet{i * nics + n}'/><model type='virtio'/></interface>\n");
            }
            xml.Append(CultureInfo.InvariantCulture, $"""
                    <graphics type='vnc' port='{5900 + i}' listen='127.0.0.1'/>
                  </devices>
                </domain>

                """);
        }
        xml.Append("</node>\n");
        var path = Path.Combine(directory, $"host-{domains}{(varied ? "-varied" : "")}.xml");
        File.WriteAllText(path, xml.ToString());
        return path;
    }

    public static string Uri(string xmlPath) => "test://" + Path.GetFullPath(xmlPath);

    private static string Guid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new System.Guid(bytes).ToString();
    }
}
