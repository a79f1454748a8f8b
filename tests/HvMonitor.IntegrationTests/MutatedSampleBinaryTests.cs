using System.Globalization;
using System.Text.Json;
using HvMonitor.Tests.Properties;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// A few of the mutated-sample property cases (tests/HvMonitor.Tests/Properties) through the published binary,
/// measured from outside with /usr/bin/time: a documented exit status, one valid envelope on stdout, short
/// messages, and bounded wall time and peak memory, whatever the damage. No lab needed.
/// </summary>
public sealed class MutatedSampleBinaryTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var sample in new[] { "libvirt/recorded-lab", "cbsd/freebsd13-colour", "cbsd/freebsd14-nocolor" })
        {
            for (int seed = 1000; seed < 1000 + SampleMutator.Kinds.Length; seed++)
                data.Add(sample, seed);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheBinaryStaysWithinBoundsOnADamagedRecording(string sample, int seed)
    {
        var source = Path.Combine([RepoPaths.Root, "samples", .. sample.Split('/')]);
        var dir = Directory.CreateTempSubdirectory("hvm-prop-bin-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(source))
                File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var random = new Random(seed);
            var files = Directory.GetFiles(dir, "*.txt").Order(StringComparer.Ordinal).ToList();
            // Each kind of damage once per sample across the seeds.
            var what = SampleMutator.Apply(files[random.Next(files.Count)], SampleMutator.Kinds[(seed - 1000) % SampleMutator.Kinds.Length], random);
            var timeFile = Path.Combine(dir, "time.out");
            string[] backend = sample.StartsWith("cbsd", StringComparison.Ordinal) ? ["-b", "CBSD"] : ["-b", "Libvirt"];
            var r = Shell.Run("/usr/bin/time", ["-f", "%e %M", "-o", timeFile, HvMonitorBinary.Path, .. backend, "--replay", dir, "--timeout", "20"],
                timeout: TimeSpan.FromSeconds(60));
            var measured = File.ReadAllText(timeFile).Trim().Split('\n')[^1].Split(' ');
            double seconds = double.Parse(measured[0], CultureInfo.InvariantCulture);
            long peakKiB = long.Parse(measured[1], CultureInfo.InvariantCulture);
            var context = $"{sample} seed {seed}: {what}: exit {r.ExitCode}, {seconds} s, {peakKiB} KiB";

            Assert.True(r.ExitCode is 0 or 1 or 3, context + "\n" + r.Stderr);
            Assert.True(seconds < 10, context);
            Assert.True(peakKiB < 400 * 1024, context);
            Assert.True(r.Stderr.Length < 16_000, context);
            Assert.DoesNotContain("unexpectedly", r.Stderr);
            var envelope = JsonDocument.Parse(r.StdoutBytes).RootElement;
            Assert.True(envelope.GetProperty("errorString").GetString()!.Length < 2_000, context);
            Assert.Equal(envelope.GetProperty("error").GetInt32() == 0, r.ExitCode is 0 or 3);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
