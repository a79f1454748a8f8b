using System.Globalization;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>
/// The size worst case LibreNMS has to carry: N running VMs with 2 disks and 1 NIC each, every name, MAC and
/// counter random (so gzip finds nothing to squeeze), put through hv-monitor's own model, serializer and
/// compression: the exact bytes the binary would write for such a host. No real host can be set to given
/// counter values, hence the synthetic document; its shape is the one the lab's guests produce.
/// </summary>
public static class WorstCaseHost
{
    public enum Counters
    {
        /// <summary>Production-size values: bytes 10⁹–10¹³, requests and packets 10⁶–10¹⁰, disk time 10¹⁰–10¹⁴ ns …</summary>
        Production,
        /// <summary>Every whole number uniform over 0 … 2^63-1 (19 digits), disk times likewise: the absolute worst.</summary>
        FullRange,
    }

    public static byte[] Json(int vms, Counters counters, int seed = 7) => LibreNmsSerializer.ToUtf8Json(Envelope(vms, counters, seed));

    /// <summary>What -w writes to BASE.snmp (and -c prints): one base64 line plus its newline.</summary>
    public static byte[] Snmp(byte[] json) => [.. System.Text.Encoding.ASCII.GetBytes(SnmpCompression.GzipBase64(json)), (byte)'\n'];

    public static Envelope Envelope(int vms, Counters counters, int seed = 7)
    {
        var random = new Random(seed);
        bool full = counters == Counters.FullRange;
        ulong Whole(double lo, double hi) => full ? (ulong)random.NextInt64(0, long.MaxValue) : (ulong)(lo + random.NextDouble() * (hi - lo));
        double Ms() => (double)(Whole(1e10, 1e14) / 1_000_000m);
        DiskFacts Disk(string target, string path) => new(target, path)
        {
            Alloc = Whole(1e10, 1e12), InUse = Whole(1e9, 1e12), OnDisk = Whole(1e9, 1e12),
            Rbytes = Whole(1e9, 1e13), Rreqs = Whole(1e6, 1e10), Rtime = Ms(),
            Wbytes = Whole(1e9, 1e13), Wreqs = Whole(1e6, 1e10), Wtime = Ms(),
            Freqs = Whole(1e5, 1e9), Ftime = Ms(),
        };
        string Hex(int bytes) => Convert.ToHexString(Enumerable.Range(0, bytes).Select(_ => (byte)random.Next(256)).ToArray()).ToLowerInvariant();

        var facts = new List<VmFacts>();
        for (int i = 0; i < vms; i++)
        {
            var name = $"{Hex(4)}-{Hex(2)}-{Hex(2)}-{Hex(2)}-{Hex(6)}";
            facts.Add(new VmFacts
            {
                Name = name,
                State = VmState.Running,
                MemAllocBytes = Whole(1e9, 1e11),
                Cpus = (ulong)random.Next(1, 64),
                HypervisorRssBytes = Whole(1e9, 1e11),
                Process = new ProcessStats
                {
                    Pcpu = Math.Round(random.NextDouble() * 800, 1), Pmem = Math.Round(random.NextDouble() * 100, 1),
                    Etimes = Whole(1e5, 1e8), Pri = 19, Vsz = Whole(1e9, 1e11), Rss = Whole(1e9, 1e11),
                    Majflt = Whole(1e3, 1e7), Minflt = Whole(1e6, 1e10),
                    Usertime = Math.Round(Whole(1e5, 1e9) / 100.0, 2), Systime = Math.Round(Whole(1e5, 1e9) / 100.0, 2),
                    Nvcsw = Whole(1e6, 1e11), Nivcsw = Whole(1e5, 1e10),
                },
                Snapshots = (ulong)random.Next(0, 10),
                ConsoleType = "vnc",
                Console = "127.0.0.1:" + (5900 + i).ToString(CultureInfo.InvariantCulture),
                OsType = "http://debian.org/debian/12",
                Disks =
                [
                    Disk("vda", $"/var/lib/libvirt/images/{name}-vda.qcow2"),
                    Disk("vdb", $"/var/lib/libvirt/images/{name}-vdb.qcow2"),
                ],
                Interfaces =
                [
                    new InterfaceFacts
                    {
                        If = "vnet" + i.ToString(CultureInfo.InvariantCulture), Mac = $"52:54:00:{Hex(1)}:{Hex(1)}:{Hex(1)}", Parent = "br0",
                        Ipkts = Whole(1e6, 1e10), Ierrs = Whole(0, 1e4), Ibytes = Whole(1e9, 1e13), Idrop = Whole(0, 1e5),
                        Opkts = Whole(1e6, 1e10), Oerrs = Whole(0, 1e4), Obytes = Whole(1e9, 1e13), Odrop = Whole(0, 1e5),
                    },
                ],
            });
        }
        return new Envelope { Data = HvDataBuilder.Build("libvirt", facts) };
    }

    /// <summary>The most VMs whose output (newline included) stays within <paramref name="limit"/> bytes.</summary>
    public static int MostVmsWithin(int limit, bool compressed, Counters counters)
    {
        int lo = 0, hi = 4096; // lo fits, hi does not
        while (hi - lo > 1)
        {
            int mid = (lo + hi) / 2;
            var json = Json(mid, counters);
            int size = compressed ? Snmp(json).Length : json.Length + 1;
            if (size <= limit)
                lo = mid;
            else
                hi = mid;
        }
        return lo;
    }
}
