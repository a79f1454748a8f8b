using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace HvMonitor.IntegrationTests;

/// <summary>
/// The libvirtd is shared: other people's guests come and go while the suite runs. Every lab test reads and
/// asserts only the suite's own guests, whose names start with "hvm" (tests/lab/lab.sh's "hvm-alpha",
/// "hvm lab two", 'hvm "q" \b' ...); anything else is someone else's and is ignored, in the ground truth and in
/// hv-monitor's output alike.
/// </summary>
public static partial class LabGuests
{
    public static bool IsOurs(string name) => name.StartsWith("hvm-", StringComparison.Ordinal) || name.StartsWith("hvm ", StringComparison.Ordinal);

    /// <summary>Our guests' entries of an envelope's data.VMs.</summary>
    public static Dictionary<string, JsonElement> Ours(JsonElement vms) =>
        vms.EnumerateObject().Where(p => IsOurs(p.Name)).ToDictionary(p => p.Name, p => p.Value);

    public static List<string> OurNames(JsonElement vms) => vms.EnumerateObject().Select(p => p.Name).Where(IsOurs).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// A run over the whole host is "clean for our guests": exit 0, or exit 3 (incomplete) when every warning
    /// (stderr, one per line) names a domain that is not ours, e.g. one destroyed between libvirt's list and its
    /// XML. Returns the foreign warnings, for the test's output.
    /// </summary>
    public static IReadOnlyList<string> AssertCleanForOurGuests(int exitCode, string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (exitCode == 0)
        {
            Assert.Equal("", stderr);
            return [];
        }
        Assert.True(exitCode == 3, $"exit {exitCode}: {stderr}");
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var m = WarningAboutDomain().Match(line);
            Assert.True(m.Success && !IsOurs(m.Groups[1].Value), $"a warning that is not about another user's guest: {line}");
        }
        return lines;
    }

    /// <summary>The envelope's errorString is "" or names only other users' guests.</summary>
    public static void AssertErrorStringCleanForOurGuests(string errorString)
    {
        if (errorString.Length == 0)
            return;
        foreach (Match m in DomainName().Matches(errorString))
            Assert.False(IsOurs(m.Groups[1].Value), $"errorString names our guest: {errorString}");
        Assert.Matches(DomainName(), errorString);
    }

    [GeneratedRegex(@"^hv-monitor: warning: domain '(.*?)': ")]
    private static partial Regex WarningAboutDomain();

    [GeneratedRegex(@"domain '(.*?)': ")]
    private static partial Regex DomainName();
}

/// <summary>
/// Another user's guests churning on the lab's libvirtd for as long as the lab tests run (tests/lab/foreign-churn.sh):
/// every lab test thereby proves, on every run, that it asserts only its own guests. Disposing stops the script,
/// which removes its guests; whatever it could not remove (libvirtd stopped by a test meanwhile) is removed here.
/// </summary>
public sealed class ForeignChurn : IDisposable
{
    public const string Prefix = "other-hvmtest-churn";
    private readonly Process _script;

    private readonly string _prefix;

    /// <param name="prefix">Another prefix gives a second churn beside the one every lab test has.</param>
    public ForeignChurn(string prefix = Prefix)
    {
        _prefix = prefix;
        var psi = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "tests", "lab", "foreign-churn.sh"), prefix])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _script = Process.Start(psi) ?? throw new InvalidOperationException("cannot start tests/lab/foreign-churn.sh");
        _script.OutputDataReceived += (_, _) => { };
        _script.ErrorDataReceived += (_, _) => { };
        _script.BeginOutputReadLine();
        _script.BeginErrorReadLine();
    }

    public void Dispose()
    {
        if (!_script.HasExited)
        {
            Shell.Run("kill", "-TERM", _script.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!_script.WaitForExit(TimeSpan.FromSeconds(60)))
                _script.Kill(entireProcessTree: true);
        }
        foreach (var n in new[] { 0, 1, 2 })
        {
            Shell.Run("virsh", "-q", "-c", LabFixture.Uri, "destroy", $"{_prefix}-{n}");
            Shell.Run("virsh", "-q", "-c", LabFixture.Uri, "undefine", $"{_prefix}-{n}");
        }
        _script.Dispose();
    }
}
