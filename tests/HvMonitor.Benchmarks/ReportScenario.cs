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

    public static TargetResult Target(BenchReport r)
    {
        var s = r.Scenarios.FirstOrDefault(x => x.Id == Id && !x.Skipped && x.WallMs is not null);
        double limitMs = VirtWhoSeconds * 1000 / 10;
        return new TargetResult
        {
            Id = Id,
            Description = $"hv-monitor report -p on the {s?.Domains.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "small"}-domain QEMU lab, median wall time (virt-who -p: {VirtWhoSeconds}–2.5 s here)",
            Limit = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"≤ {limitMs:F0} ms (a tenth of virt-who)"),
            Measured = s is null ? "not measured" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{s.WallMs!.Median:F1} ms ({VirtWhoSeconds * 1000 / s.WallMs.Median:F1}× faster than virt-who's best)"),
            Result = s is null ? "SKIPPED" : s.WallMs!.Median <= limitMs ? "PASS" : "FAIL",
        };
    }
}
