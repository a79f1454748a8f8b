using System.Text.RegularExpressions;

namespace HvMonitor.IntegrationTests.Snmp;

/// <summary>The cron job from crontab.example.</summary>
public sealed record CronJob(string Schedule, string User, IReadOnlyList<string> Command);

/// <summary>
/// The shipped examples, read from the repository as users copy them: the tests run these lines, not
/// copies. Only the installed binary's path is replaced (by the binary under test), nothing else.
/// </summary>
public static partial class RepoExamples
{
    /// <summary>Where the README installs the binary; the examples name it.</summary>
    public const string InstalledBinary = "/usr/local/bin/hv-monitor";

    public static string CrontabFile => Path.Combine(RepoPaths.Root, "crontab.example");

    public static string SnmpdConfFile => Path.Combine(RepoPaths.Root, "snmpd.conf.example");

    /// <summary>The one job in crontab.example (an /etc/cron.d file: five time fields, the user, the command).</summary>
    public static CronJob CronJob()
    {
        var jobs = File.ReadAllLines(CrontabFile)
            .Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .ToList();
        if (jobs.Count != 1)
            throw new InvalidOperationException($"crontab.example should hold exactly one job, found {jobs.Count}");
        var fields = jobs[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        // The command is split on blanks, as the test runs it without a shell: it must need none.
        if (jobs[0].IndexOfAny(['"', '\'', '$', '`', '|', '>', '<', ';', '&', '\\']) >= 0)
            throw new InvalidOperationException("the crontab.example command uses shell syntax the test cannot run without a shell: " + jobs[0]);
        return new CronJob(string.Join(' ', fields[..5]), fields[5], fields[6..]);
    }

    /// <summary>The command of the cron job with the binary under test in place of the installed one.</summary>
    public static string[] CronCommand(string binary)
    {
        var command = CronJob().Command;
        if (command[0] != InstalledBinary)
            throw new InvalidOperationException($"the crontab.example job does not run {InstalledBinary}: {string.Join(' ', command)}");
        return [binary, .. command.Skip(1)];
    }

    /// <summary>The active extend line of snmpd.conf.example (setup 1: serve the compressed file cron writes).</summary>
    public static string CronModeExtendLine() =>
        ExtendLines().Single(l => !l.Commented && !l.Line.Contains("--cache-ttl", StringComparison.Ordinal)).Line;

    /// <summary>The commented alternative that serves the plain JSON file cron writes.</summary>
    public static string PlainJsonExtendLine() =>
        ExtendLines().Single(l => l.Commented && l.Line.Contains("/bin/cat ", StringComparison.Ordinal)).Line;

    /// <summary>The commented serve-mode line (setup 2: snmpd runs hv-monitor itself), with <paramref name="binary"/> in place of the installed one.</summary>
    public static string ServeModeExtendLine(string binary)
    {
        var line = ExtendLines().Single(l => l.Commented && l.Line.Contains("--cache-ttl", StringComparison.Ordinal)).Line;
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words[2] != InstalledBinary)
            throw new InvalidOperationException($"the serve-mode line of snmpd.conf.example does not run {InstalledBinary}: {line}");
        words[2] = binary;
        return string.Join(' ', words);
    }

    /// <summary>The value following <paramref name="flag"/> in an extend line (e.g. -o, --log).</summary>
    public static string ArgumentOf(string extendLine, string flag)
    {
        var words = extendLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int i = Array.IndexOf(words, flag);
        if (i < 0 || i + 1 >= words.Length)
            throw new InvalidOperationException($"'{flag}' not found in: {extendLine}");
        return words[i + 1];
    }

    /// <summary>Every `extend hv-monitor ...` line, active or commented out (then returned uncommented).</summary>
    public static List<(string Line, bool Commented)> ExtendLines() =>
        File.ReadAllLines(SnmpdConfFile)
            .Select(l => ExtendLine().Match(l))
            .Where(m => m.Success)
            .Select(m => (Regex.Replace(m.Groups[2].Value.Trim(), @"\s+", " "), m.Groups[1].Value.Length > 0))
            .ToList();

    [GeneratedRegex(@"^\s*(#?)\s*(extend\s+hv-monitor\s+\S.*)$")]
    private static partial Regex ExtendLine();
}
