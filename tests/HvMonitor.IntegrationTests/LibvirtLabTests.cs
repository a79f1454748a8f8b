using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>hv-monitor against the real libvirt+QEMU lab, every VM checked against virsh, ps and /proc.</summary>
[Collection(LabCollection.Name)]
public sealed class LibvirtLabTests
{
    private const string Uri = LabFixture.Uri;
    private static readonly Lazy<LabObservation> Observation = new(() => LabObservation.Take(Uri));
    private static LabObservation O => Observation.Value;

    private static void Between(ulong ours, ulong before, ulong after, string what)
    {
        ulong lo = Math.Min(before, after), hi = Math.Max(before, after);
        Assert.True(ours >= lo && ours <= hi, $"{what}: hv-monitor said {ours}, the ground truth went from {before} to {after}");
    }

    private static ulong U(JsonElement e, string key) => e.GetProperty(key).GetUInt64();

    [Fact]
    public void TheRunSucceedsSilently()
    {
        // Silent for our guests; another user's guest destroyed mid-run may be a warning about that guest alone.
        LabGuests.AssertCleanForOurGuests(O.Run.ExitCode, O.Run.Stderr);
        Assert.Equal(0, O.Json.GetProperty("error").GetInt32());
        LabGuests.AssertErrorStringCleanForOurGuests(O.Json.GetProperty("errorString").GetString()!);
        Assert.Equal("libvirt", O.Json.GetProperty("data").GetProperty("hv").GetString());
    }

    [Fact]
    public void EveryDomainIsReportedUnderItsExactName()
    {
        Assert.Equal(O.DomainNames.Order(StringComparer.Ordinal), LabGuests.OurNames(O.Vms));
        // The lab's awkward names must really be there, or this test proves less than it claims.
        Assert.Contains(O.DomainNames, n => n.Contains(' '));
        Assert.Contains(O.DomainNames, n => n.Any(c => c > 127));
        Assert.Contains(O.DomainNames, n => n.Contains('"') && n.Contains('\\'));
        Assert.True(O.StatsBefore.Values.Count(s => s["state.state"] == "1") >= 4, "the lab should have at least 4 running guests");
        Assert.Contains(O.StatsBefore.Values, s => s["state.state"] == "3");
        Assert.Contains(O.StatsBefore.Values, s => s["state.state"] == "5");
    }

    [Fact]
    public void StateMemoryAndCpusMatchVirsh()
    {
        foreach (var name in O.DomainNames)
        {
            var vm = O.Vms.GetProperty(name);
            var stats = O.StatsBefore[name];
            Assert.Equal(int.Parse(stats["state.state"], CultureInfo.InvariantCulture), vm.GetProperty("status_int").GetInt32());
            var info = GroundTruth.Virsh(Uri, "dominfo", name);
            var maxKiB = ulong.Parse(Regex.Match(info, @"Max memory:\s+(\d+) KiB").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.Equal(maxKiB * 1024, U(vm, "mem_alloc"));
            var maxVcpus = ulong.Parse(GroundTruth.Virsh(Uri, "vcpucount", name, "--maximum", "--config").Trim(), CultureInfo.InvariantCulture);
            Assert.Equal(maxVcpus, U(vm, "cpus"));
        }
    }

    [Fact]
    public void DisksMatchDomstatsAndIsoImagesAreLeftOutOfTheSizeSums()
    {
        bool sawIso = false;
        foreach (var name in O.DomainNames)
        {
            var vm = O.Vms.GetProperty(name);
            var before = O.StatsBefore[name];
            var after = O.StatsAfter[name];
            int count = (int)before.U("block.count");
            var disks = vm.GetProperty("disks");
            ulong alloc = 0, inUse = 0, onDisk = 0, rbytes = 0;
            for (int i = 0; i < count; i++)
            {
                string p = $"block.{i}.";
                var disk = disks.GetProperty(before[p + "name"]);
                foreach (var (ours, theirs) in new[] { ("alloc", "capacity"), ("in_use", "allocation"), ("on_disk", "physical"),
                             ("rbytes", "rd.bytes"), ("rreqs", "rd.reqs"), ("wbytes", "wr.bytes"), ("wreqs", "wr.reqs"), ("freqs", "fl.reqs") })
                    Between(U(disk, ours), before.U(p + theirs), after.U(p + theirs), $"{name} {before[p + "name"]} {ours}");
                // Milliseconds with the nanoseconds' fraction (DDERIVE takes decimals): ns ÷ 10⁶ exactly.
                foreach (var (ours, theirs) in new[] { ("rtime", "rd.times"), ("wtime", "wr.times"), ("ftime", "fl.times") })
                {
                    var ms = (decimal)disk.GetProperty(ours).GetDouble();
                    decimal lo = before.U(p + theirs) / 1_000_000m, hi = after.U(p + theirs) / 1_000_000m;
                    Assert.True(ms >= Math.Min(lo, hi) && ms <= Math.Max(lo, hi), $"{name} {ours}: hv-monitor said {ms} ms, virsh went from {lo} to {hi}");
                }
                rbytes += U(disk, "rbytes");
                if (before.GetValueOrDefault(p + "path", "").EndsWith(".iso", StringComparison.OrdinalIgnoreCase))
                {
                    sawIso = true;
                    continue;
                }
                alloc += U(disk, "alloc");
                inUse += U(disk, "in_use");
                onDisk += U(disk, "on_disk");
            }
            if (count > 0)
            {
                Assert.Equal(count, disks.EnumerateObject().Count());
                Assert.Equal(alloc, U(vm, "disk_alloc"));
                Assert.Equal(inUse, U(vm, "disk_in_use"));
                Assert.Equal(onDisk, U(vm, "disk_on_disk"));
                Assert.Equal(rbytes, U(vm, "rbytes"));
            }
        }
        Assert.True(sawIso, "the lab should have a guest with an .iso cdrom");
    }

    [Fact]
    public void InterfacesMatchDomiflistAndTheirCountersMatchDomstats()
    {
        bool sawTwoNics = false;
        foreach (var name in O.DomainNames)
        {
            var ifs = O.Vms.GetProperty(name).GetProperty("ifs");
            var rows = GroundTruth.DomIfList(Uri, name);
            Assert.Equal(rows.Count, ifs.EnumerateObject().Count());
            sawTwoNics |= rows.Count >= 2 && rows.All(r => r[1] == "bridge");
            for (int i = 0; i < rows.Count; i++)
            {
                // Interface Type Source Model MAC
                var nic = ifs.GetProperty("nic" + i);
                var (dev, type, source, mac) = (rows[i][0], rows[i][1], rows[i][2], rows[i][^1]);
                Assert.Equal(dev == "-" ? "" : dev, nic.GetProperty("if").GetString());
                Assert.Equal(mac, nic.GetProperty("mac").GetString());
                if (type is "bridge" or "direct")
                    Assert.Equal(source, nic.GetProperty("parent").GetString());
                if (dev == "-")
                    continue;
                var before = O.StatsBefore[name];
                var after = O.StatsAfter[name];
                var p = before.First(kv => kv.Key.EndsWith(".name", StringComparison.Ordinal) && kv.Key.StartsWith("net.", StringComparison.Ordinal) && kv.Value == dev).Key[..^"name".Length];
                foreach (var (ours, theirs) in new[] { ("ibytes", "rx.bytes"), ("ipkts", "rx.pkts"), ("ierrs", "rx.errs"), ("idrop", "rx.drop"),
                             ("obytes", "tx.bytes"), ("opkts", "tx.pkts"), ("oerrs", "tx.errs"), ("odrop", "tx.drop") })
                    Between(U(nic, ours), before.U(p + theirs), after.U(p + theirs), $"{name} {dev} {ours}");
            }
        }
        Assert.True(sawTwoNics, "the lab should have a guest with two NICs on the bridge");
    }

    [Fact]
    public void SnapshotCountsMatchVirsh()
    {
        foreach (var name in O.DomainNames)
            Assert.Equal((ulong)GroundTruth.SnapshotCount(Uri, name), U(O.Vms.GetProperty(name), "snaps"));
        Assert.Contains(O.DomainNames, n => U(O.Vms.GetProperty(n), "snaps") >= 1);
    }

    [Fact]
    public void ConsolesMatchDomdisplay()
    {
        foreach (var name in O.DomainNames.Where(n => O.ProcBefore.ContainsKey(n)))
        {
            var vm = O.Vms.GetProperty(name);
            var display = Shell.Run("virsh", "-r", "-c", Uri, "domdisplay", name);
            var m = Regex.Match(display.Stdout.Trim(), @"^(vnc|spice)://([^:]+):(\d+)");
            if (!m.Success)
            {
                Assert.Equal("", vm.GetProperty("console").GetString());
                continue;
            }
            Assert.Equal(m.Groups[1].Value, vm.GetProperty("console_type").GetString());
            int n = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            int port = m.Groups[1].Value == "vnc" ? 5900 + n : n; // virsh shows a VNC display number
            Assert.EndsWith(":" + port, vm.GetProperty("console").GetString());
        }
    }

    [Fact]
    public void ProcessFiguresMatchPsAndProc()
    {
        Assert.NotEmpty(O.ProcBefore);
        double hz = GroundTruth.ClockTicks;
        foreach (var (name, before) in O.ProcBefore)
        {
            var after = O.ProcAfter[name];
            Assert.Equal(before.Pid, after.Pid);
            var vm = O.Vms.GetProperty(name);
            Assert.Equal(before.Pri, vm.GetProperty("pri").GetInt64());
            Assert.Equal(before.Nice, vm.GetProperty("nice").GetInt64());
            Between(U(vm, "etimes"), before.Etimes, after.Etimes + 1, $"{name} etimes");
            Assert.InRange(vm.GetProperty("pcpu").GetDouble(), Math.Min(before.Pcpu, after.Pcpu) - 0.5, Math.Max(before.Pcpu, after.Pcpu) + 0.5);
            Assert.InRange(vm.GetProperty("pmem").GetDouble(), Math.Min(before.Pmem, after.Pmem) - 0.1, Math.Max(before.Pmem, after.Pmem) + 0.1);
            Between(U(vm, "vsz"), before.VszKiB * 1024, after.VszKiB * 1024, $"{name} vsz");
            Between(U(vm, "majflt"), before.MajFlt, after.MajFlt, $"{name} majflt");
            Between(U(vm, "minflt"), before.MinFlt, after.MinFlt, $"{name} minflt");
            Between((ulong)Math.Round(vm.GetProperty("usertime").GetDouble() * hz), before.UTimeTicks, after.UTimeTicks, $"{name} usertime");
            Between((ulong)Math.Round(vm.GetProperty("systime").GetDouble() * hz), before.STimeTicks, after.STimeTicks, $"{name} systime");
            Between(U(vm, "nvcsw"), before.Nvcsw, after.Nvcsw, $"{name} nvcsw");
            Between(U(vm, "nivcsw"), before.Nivcsw, after.Nivcsw, $"{name} nivcsw");
            Between(U(vm, "rss"), O.StatsBefore[name].U("balloon.rss") * 1024, O.StatsAfter[name].U("balloon.rss") * 1024, $"{name} rss");
        }
    }

    [Fact]
    public void DefinedOnlyDomainsHaveNoProcessFigures()
    {
        var off = O.DomainNames.Where(n => O.StatsBefore[n]["state.state"] == "5").ToList();
        Assert.NotEmpty(off);
        foreach (var name in off)
        {
            var vm = O.Vms.GetProperty(name);
            foreach (var key in new[] { "pcpu", "pmem", "etimes", "vsz", "rss", "minflt", "usertime" })
                Assert.Equal(0.0, vm.GetProperty(key).GetDouble());
        }
    }

    [Fact]
    public void TotalsAreTheSumsOfTheVmsAndTheStateCounts()
    {
        var summed = new[]
        {
            "usertime", "pmem", "oublk", "minflt", "pcpu", "mem_alloc", "nvcsw", "snaps", "rss", "snaps_size", "cpus", "cow", "nivcsw",
            "systime", "vsz", "etimes", "majflt", "inblk", "nswap", "disk_alloc", "disk_in_use", "rbytes", "rtime", "rreqs", "wbytes",
            "wreqs", "ftime", "freqs", "wtime", "disk_on_disk", "ipkts", "ierrs", "ibytes", "idrop", "opkts", "oerrs", "obytes", "coll", "odrop",
        };
        foreach (var key in summed)
        {
            double sum = O.Vms.EnumerateObject().Sum(vm => vm.Value.GetProperty(key).GetDouble());
            Assert.Equal(Math.Round(sum, 2), Math.Round(O.Totals.GetProperty(key).GetDouble(), 2));
        }
        var stateKeys = new Dictionary<string, string>
        {
            ["0"] = "nostate", ["1"] = "on", ["2"] = "blocked", ["3"] = "paused", ["4"] = "off_soft", ["5"] = "off_hard", ["6"] = "crashed", ["7"] = "pmsuspended",
        };
        // Counted over every VM of the output (other users' guests too, whose states virsh may show differently a
        // moment later); each of our guests' state is checked against virsh in StateMemoryAndCpusMatchVirsh.
        foreach (var (state, key) in stateKeys)
            Assert.Equal((ulong)O.Vms.EnumerateObject().Count(vm => vm.Value.GetProperty("status_int").GetInt32().ToString(CultureInfo.InvariantCulture) == state), U(O.Totals, key));
        foreach (var (state, key) in stateKeys)
            Assert.True(U(O.Totals, key) >= (ulong)O.StatsBefore.Values.Count(s => s["state.state"] == state), $"totals.{key} counts fewer than our own guests in that state");
        Assert.Equal(0UL, U(O.Totals, "off") + U(O.Totals, "unknown"));
    }

    [Fact]
    public void CompressedFormDecodesToExactlyTheWrittenJson()
    {
        var line = O.Run.Stdout;
        Assert.EndsWith("\n", line);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(new Regex("^[A-Za-z0-9/+\\n]+=*\\n*$"), line);
        using var gunzip = new GZipStream(new MemoryStream(Convert.FromBase64String(line.Trim())), CompressionMode.Decompress);
        using var decoded = new MemoryStream();
        gunzip.CopyTo(decoded);
        Assert.Equal(File.ReadAllBytes(O.OutputBase), decoded.ToArray().Append((byte)'\n').ToArray());
        Assert.Equal(line, File.ReadAllText(O.OutputBase + ".snmp"));
        foreach (var file in new[] { O.OutputBase, O.OutputBase + ".snmp" })
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(file));
        Assert.Equal(2, Directory.GetFiles(Path.GetDirectoryName(O.OutputBase)!).Length); // no temporary files left
    }
}
