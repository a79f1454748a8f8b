using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HvMonitor.Benchmarks;

/// <summary>The libvirt calls one collection makes, timed in this process, averaged over repetitions (ms).</summary>
public sealed class LibvirtCallTimes
{
    public string Uri { get; set; } = "";
    public int Domains { get; set; }
    public int Repetitions { get; set; }
    /// <summary>virConnectOpenReadOnly (the test driver parses its whole host XML here) + virConnectClose.</summary>
    public double OpenCloseMs { get; set; }
    /// <summary>The one bulk virConnectGetAllDomainStats call, with hv-monitor's groups and flags, and freeing its result.</summary>
    public double BulkStatsMs { get; set; }
    /// <summary>virDomainGetXMLDesc for every domain.</summary>
    public double XmlDescMs { get; set; }
    /// <summary>virDomainSnapshotNum for every domain.</summary>
    public double SnapshotNumMs { get; set; }
    /// <summary>Characters of domain XML per domain, on average.</summary>
    public double XmlCharsPerDomain { get; set; }
    public string? Error { get; set; }
}

/// <summary>
/// Times, in this process and through the same libvirt.so.0, the libvirt calls hv-monitor's collection
/// makes (open, the bulk stats call, then per domain its XML and snapshot count). Subtracting them
/// from hv-monitor's own run leaves what hv-monitor itself spends: runtime start, parsing, building and
/// writing the report.
/// </summary>
public static unsafe partial class LibvirtBreakdown
{
    private const string Lib = "libvirt.so.0";
    // STATE | BALLOON | INTERFACE | BLOCK, and NOWAIT: what hv-monitor asks for.
    private const uint Groups = 1 | 4 | 16 | 32;
    private const uint NoWait = 1u << 29;

    [StructLayout(LayoutKind.Sequential)]
    private struct Record
    {
        public IntPtr Domain;
        public IntPtr Params;
        public int NParams;
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr virConnectOpenReadOnly(string uri);

    [LibraryImport(Lib)]
    private static partial int virConnectClose(IntPtr conn);

    [LibraryImport(Lib)]
    private static partial int virConnectGetAllDomainStats(IntPtr conn, uint stats, out Record** records, uint flags);

    [LibraryImport(Lib)]
    private static partial void virDomainStatsRecordListFree(Record** records);

    [LibraryImport(Lib)]
    private static partial IntPtr virDomainGetXMLDesc(IntPtr domain, uint flags);

    [LibraryImport(Lib)]
    private static partial int virDomainSnapshotNum(IntPtr domain, uint flags);

    [LibraryImport(Lib)]
    private static partial void virSetErrorFunc(IntPtr userData, delegate* unmanaged<IntPtr, IntPtr, void> handler);

    [LibraryImport("libc")]
    private static partial void free(IntPtr p);

    [UnmanagedCallersOnly]
    private static void IgnoreError(IntPtr userData, IntPtr error)
    {
    }

    public static LibvirtCallTimes Measure(string uri, int domains, int repetitions)
    {
        var t = new LibvirtCallTimes { Uri = uri, Domains = domains, Repetitions = repetitions };
        try
        {
            virSetErrorFunc(IntPtr.Zero, &IgnoreError);
            double open = 0, stats = 0, xml = 0, snaps = 0;
            long chars = 0;
            int counted = 0;
            for (int r = 0; r < repetitions + 1; r++) // the first repetition warms up
            {
                long a = Stopwatch.GetTimestamp();
                IntPtr conn = virConnectOpenReadOnly(uri);
                if (conn == IntPtr.Zero)
                    throw new InvalidOperationException($"cannot open {uri}");
                double tOpen = Ms(a);

                a = Stopwatch.GetTimestamp();
                int n = virConnectGetAllDomainStats(conn, Groups, out var records, NoWait);
                if (n < 0)
                    throw new InvalidOperationException("virConnectGetAllDomainStats failed");
                double tStats = Ms(a);

                a = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++)
                {
                    IntPtr s = virDomainGetXMLDesc(records[i]->Domain, 0);
                    if (s != IntPtr.Zero)
                    {
                        if (r == 0)
                            chars += Marshal.PtrToStringUTF8(s)?.Length ?? 0;
                        free(s);
                    }
                }
                double tXml = Ms(a);

                a = Stopwatch.GetTimestamp();
                for (int i = 0; i < n; i++)
                    virDomainSnapshotNum(records[i]->Domain, 0);
                double tSnap = Ms(a);

                a = Stopwatch.GetTimestamp();
                virDomainStatsRecordListFree(records);
                double tFree = Ms(a);
                a = Stopwatch.GetTimestamp();
                virConnectClose(conn);
                double tClose = Ms(a);

                if (r == 0)
                {
                    counted = n;
                    continue;
                }
                open += tOpen + tClose;
                stats += tStats + tFree;
                xml += tXml;
                snaps += tSnap;
            }
            t.OpenCloseMs = open / repetitions;
            t.BulkStatsMs = stats / repetitions;
            t.XmlDescMs = xml / repetitions;
            t.SnapshotNumMs = snaps / repetitions;
            t.XmlCharsPerDomain = counted == 0 ? 0 : (double)chars / counted;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            t.Error = e.Message;
        }
        return t;
    }

    private static double Ms(long since) => (Stopwatch.GetTimestamp() - since) * 1000.0 / Stopwatch.Frequency;
}
