using System.Text.Json;

namespace HvMonitor.Benchmarks;

/// <summary>
/// `hv-monitor report -p` (the virt-who replacement's print mode) on the real QEMU host, from a throw-away
/// --sysroot whose /etc/virt-who.d holds one libvirt section: the local libvirt when the lab URI is the
/// default qemu:///system, else a section without type whose server is that URI. virt-who -p takes
/// 1.4–2.5 s on this machine; the target is a tenth of the fast end.
/// </summary>
internal static class ReportScenario
{
    public const string Id = "report-print";
    public const double VirtWhoSeconds = 1.4;

    public static List<ScenarioResult> Measure(Bench bench, string hv, string labUri, string work, int domains, string description)
    {
        var root = Path.Combine(work, "report-sysroot");
        Directory.CreateDirectory(Path.Combine(root, "etc", "virt-who.d"));
        File.WriteAllText(Path.Combine(root, "etc", "virt-who.conf"), "[global]\n");
        File.WriteAllText(Path.Combine(root, "etc", "virt-who.d", "bench.conf"),
            labUri == "qemu:///system" ? "[bench]\ntype=libvirt\n" : $"[bench]\nserver={labUri}\nowner=bench\n");
        var command = new Command("hv-monitor", hv, ["report", "-p", "--sysroot", root], path => Expect(GuestCount(path), domains));
        return bench.Measure(Id, "report", $"hv-monitor report -p, {domains} domains (local libvirt section)", domains, [command], description);
    }

    /// <summary>The guests listed in a -p output; throws unless it is one entry with a guestIds list.</summary>
    public static int GuestCount(string stdoutPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(stdoutPath));
        var entries = doc.RootElement.GetProperty("hypervisors");
        if (entries.GetArrayLength() != 1)
            throw new InvalidDataException($"report -p printed {entries.GetArrayLength()} entries, expected 1");
        return entries[0].GetProperty("guestIds").GetArrayLength();
    }

    private static int? Expect(int guests, int expected) =>
        guests == expected ? guests : throw new InvalidDataException($"{guests} guests in report -p, expected {expected}");

    /// <summary>
    /// Against virt-who -p: 25× its wall time and 5× its CPU time. virt-who is not installable here (no Debian
    /// package for it, and its Python sources cannot be fetched), so only its recorded wall time can be compared;
    /// its CPU time was never recorded, so that half is reported as not measurable with hv-monitor's own CPU time.
    /// </summary>
    public static List<TargetResult> Targets(BenchReport r)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var s = r.Scenarios.FirstOrDefault(x => x.Id == Id && !x.Skipped && x.WallMs is not null);
        string domains = s?.Domains.ToString(inv) ?? "small";
        return
        [
            new TargetResult
            {
                Id = Id,
                Description = $"hv-monitor report -p on the {domains}-domain QEMU lab against virt-who -p's recorded {VirtWhoSeconds}–2.5 s (virt-who cannot be installed here: not measured side by side)",
                Limit = "≥ 25× faster (wall)",
                Measured = s is null ? "not measured" : string.Create(inv, $"{s.WallMs!.Median:F1} ms: {VirtWhoSeconds * 1000 / s.WallMs.Median:F1}× virt-who's best"),
                Result = s is null ? "SKIPPED" : VirtWhoSeconds * 1000 / s.WallMs!.Median >= 25 ? "PASS" : "FAIL",
            },
            new TargetResult
            {
                Id = Id + "-cpu",
                Description = $"hv-monitor report -p CPU time against virt-who -p's",
                Limit = "≥ 5× less CPU",
                Measured = s is null ? "not measured" : string.Create(inv, $"hv-monitor {s.CpuMs!.Median:F1} ms CPU; virt-who's CPU time was never recorded and virt-who cannot run here"),
                Result = "NOT MEASURABLE",
            },
        ];
    }
}
