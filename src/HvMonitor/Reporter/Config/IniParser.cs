using System.Text.RegularExpressions;

namespace HvMonitor.Reporter.Config;

/// <summary>One section: keys lower-cased, in first-seen order, values interpolated (not unquoted).</summary>
/// <param name="Error">Set when this section alone cannot be used (a value past hv-monitor's interpolation
/// bounds, a NUL character): the loader drops it with this message and keeps the file's other sections.</param>
public sealed record IniSection(string Name, IReadOnlyList<KeyValuePair<string, string>> Options, string? Error = null)
{
    public string? Get(string key) => Options.FirstOrDefault(o => o.Key == key) is { Key: not null } o ? o.Value : null;
}

/// <summary>A parsed file: its sections in file order ([DEFAULT] merged into each), and the message of
/// the first duplicate option, which virt-who logs (its strict first pass) but otherwise ignores.</summary>
public sealed record IniDocument(IReadOnlyList<IniSection> Sections, string? DuplicateOptionMessage);

/// <summary>The file cannot be used at all; <see cref="Exception.Message"/> is Python configparser's text.</summary>
public class IniSyntaxException(string message) : Exception(message);

/// <summary>A file whose first non-comment line is not a section header.</summary>
public sealed class IniMissingSectionHeaderException(string message) : IniSyntaxException(message);

/// <summary>
/// The INI dialect of Python's <c>configparser.ConfigParser</c> as virt-who uses it (docs/virt-who-compatibility.md, "INI dialect"): a pure
/// function from text to sections. Delimiters <c>=</c> and <c>:</c> (the first one wins), full-line
/// <c>#</c>/<c>;</c> comments only, indented lines continue a value, duplicate options (last wins) and
/// sections (merged) are accepted, <c>[DEFAULT]</c> applies to every section, and BasicInterpolation
/// (<c>%%</c>, <c>%(key)s</c>) whose errors reject the whole file, e.g. <c>type = libvirt</c>.
/// </summary>
public static partial class IniParser
{
    private const string DefaultSection = "DEFAULT";
    /// <summary>configparser's MAX_INTERPOLATION_DEPTH.</summary>
    private const int MaxInterpolationDepth = 10;
    /// <summary>hv-monitor's bounds (docs/virt-who-compatibility.md, D11), where configparser has none: one value may expand to at most
    /// this many characters, through at most <see cref="MaxSubstitutions"/> %(key)s steps (a fan-out of keys
    /// that each name the next one ten times is 10^9 characters, or 10^9 steps of empty ones), and a whole
    /// file to at most <see cref="MaxExpandedPerFile"/>.</summary>
    public const int MaxExpandedValue = 1024 * 1024;
    public const int MaxSubstitutions = 100_000;
    public const int MaxExpandedPerFile = 8 * 1024 * 1024;

    [GeneratedRegex(@"^\[(?<header>.+)\]")]
    private static partial Regex SectionHeader();

    [GeneratedRegex(@"^(?<option>.*?)\s*(?<delimiter>[=:])\s*(?<value>.*)$", RegexOptions.Singleline)]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"\G%\((?<key>[^)]+)\)s")]
    private static partial Regex InterpolationKey();

    private sealed class RawSection(string name)
    {
        public string Name { get; } = name;
        public List<string> Order { get; } = [];
        public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

        public void Set(string key, string value)
        {
            if (!Values.ContainsKey(key))
                Order.Add(key);
            Values[key] = [value];
        }
    }

    public static IniDocument Parse(string text, string path)
    {
        var lines = PythonText.FileLines(text).ToArray();
        string? duplicate = FirstDuplicateOption(lines, path);
        var (sections, defaults) = ReadLenient(lines, path);
        var result = new List<IniSection>(sections.Count);
        int budget = MaxExpandedPerFile;
        foreach (var section in sections)
            result.Add(Interpolate(section, defaults, ref budget));
        return new IniDocument(result, duplicate);
    }

    /// <summary>configparser's strict pass: it stops at the first duplicate section or option, and only
    /// the option case is logged by virt-who.</summary>
    private static string? FirstDuplicateOption(string[] lines, string path)
    {
        var seenSections = new HashSet<string>(StringComparer.Ordinal);
        var seenOptions = new HashSet<(string, string)>();
        string? section = null;
        string? option = null;
        int indent = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var (value, isComment, lineIndent) = Classify(lines[i]);
            if (value.Length == 0 || isComment)
                continue;
            if (section is not null && option is not null && lineIndent > indent)
                continue;
            indent = lineIndent;
            var header = SectionHeader().Match(value);
            if (header.Success)
            {
                section = header.Groups["header"].Value;
                if (section != DefaultSection && !seenSections.Add(section))
                    return null;
                option = null;
                continue;
            }
            if (section is null)
                return null;
            var optionMatch = OptionLine().Match(value);
            if (!optionMatch.Success || optionMatch.Groups["option"].Value.TrimEnd().Length == 0)
            {
                option = null;
                continue;
            }
            option = optionMatch.Groups["option"].Value.TrimEnd().ToLowerInvariant();
            if (!seenOptions.Add((section, option)))
                return $"While reading from {PythonText.Repr(path)} [line {i + 1,2}]: option {PythonText.Repr(option)} in section {PythonText.Repr(section)} already exists";
        }
        return null;
    }

    private static (List<RawSection> Sections, RawSection Defaults) ReadLenient(string[] lines, string path)
    {
        var sections = new List<RawSection>();
        var byName = new Dictionary<string, RawSection>(StringComparer.Ordinal);
        var defaults = new RawSection(DefaultSection);
        var errors = new List<string>();
        RawSection? current = null;
        string? option = null;
        int indent = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var (value, isComment, lineIndent) = Classify(lines[i]);
            if (value.Length == 0)
            {
                // A blank line inside a value is kept (empty_lines_in_values); a comment line is not.
                if (!isComment && current is not null && option is not null)
                    current.Values[option].Add("");
                continue;
            }
            if (current is not null && option is not null && lineIndent > indent)
            {
                current.Values[option].Add(value);
                continue;
            }
            indent = lineIndent;
            var header = SectionHeader().Match(value);
            if (header.Success)
            {
                var name = header.Groups["header"].Value;
                if (name == DefaultSection)
                    current = defaults;
                else if (!byName.TryGetValue(name, out current))
                {
                    current = new RawSection(name);
                    byName[name] = current;
                    sections.Add(current);
                }
                option = null;
                continue;
            }
            if (current is null)
                throw new IniMissingSectionHeaderException(
                    $"File contains no section headers.\nfile: {PythonText.Repr(path)}, line: {i + 1}\n{PythonText.Repr(lines[i] + "\n")}");
            var optionMatch = OptionLine().Match(value);
            var key = optionMatch.Success ? optionMatch.Groups["option"].Value.TrimEnd().ToLowerInvariant() : "";
            if (key.Length == 0)
            {
                errors.Add($"\n\t[line {i + 1,2}]: {PythonText.Repr(lines[i] + "\n")}");
                option = null;
                continue;
            }
            option = key;
            current.Set(key, PythonText.Strip(optionMatch.Groups["value"].Value));
        }
        if (errors.Count > 0)
            throw new IniSyntaxException($"Source contains parsing errors: {PythonText.Repr(path)}{string.Concat(errors)}");
        return (sections, defaults);
    }

    /// <summary>The stripped line, whether it is a full-line comment, and its indentation.</summary>
    private static (string Value, bool IsComment, int Indent) Classify(string line)
    {
        var stripped = PythonText.Strip(line);
        bool comment = stripped.StartsWith('#') || stripped.StartsWith(';');
        int indent = 0;
        while (indent < line.Length && PythonText.IsSpace(line[indent]))
            indent++;
        if (indent == line.Length)
            indent = 0;
        return (comment ? "" : stripped, comment, indent);
    }

    private static string Joined(List<string> parts)
    {
        var joined = string.Join('\n', parts);
        int end = joined.Length;
        while (end > 0 && PythonText.IsSpace(joined[end - 1]))
            end--;
        return joined[..end];
    }

    /// <summary>A value past hv-monitor's interpolation bounds: only its section is dropped.</summary>
    private sealed class ExpansionLimitException(string message) : Exception(message);

    /// <summary>Counts one value's expansion against the bounds.</summary>
    private sealed class Expansion(int maxLength)
    {
        public System.Text.StringBuilder Text { get; } = new();
        public int MaxLength { get; } = maxLength;
        public int Steps { get; set; }
    }

    private static IniSection Interpolate(RawSection section, RawSection defaults, ref int budget)
    {
        try
        {
            var result = InterpolateAll(section, defaults, ref budget);
            if (result.Name.Contains('\0') || result.Options.FirstOrDefault(o => o.Key.Contains('\0') || o.Value.Contains('\0')) is { Key: not null } bad)
                return new IniSection(section.Name, [], "contains a NUL character"
                    + (result.Name.Contains('\0') ? " in its name" : $" in option {PythonText.Repr(OptionWithNul(result))}"));
            return result;
        }
        catch (ExpansionLimitException e)
        {
            return new IniSection(section.Name, [], e.Message);
        }
    }

    private static string OptionWithNul(IniSection section) =>
        section.Options.First(o => o.Key.Contains('\0') || o.Value.Contains('\0')).Key;

    private static IniSection InterpolateAll(RawSection section, RawSection defaults, ref int budget)
    {
        // Raw values visible to %(key)s: the section's own over [DEFAULT]'s.
        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in defaults.Order)
            raw[key] = Joined(defaults.Values[key]);
        foreach (var key in section.Order)
            raw[key] = Joined(section.Values[key]);
        var keys = section.Order.Concat(defaults.Order.Where(k => !section.Values.ContainsKey(k)));
        var options = new List<KeyValuePair<string, string>>();
        foreach (var key in keys)
        {
            var expansion = new Expansion(Math.Min(MaxExpandedValue, budget));
            InterpolateInto(expansion, key, raw[key], section.Name, raw, raw[key], 1);
            budget -= expansion.Text.Length;
            options.Add(new(key, expansion.Text.ToString()));
        }
        return new IniSection(section.Name, options);
    }

    private static void Append(Expansion expansion, string option, string text, int start, int count)
    {
        if (expansion.Text.Length + count > expansion.MaxLength)
            throw new ExpansionLimitException(
                $"option {PythonText.Repr(option)} expands to more than {expansion.MaxLength} characters (hv-monitor's limit for %(key)s interpolation)");
        expansion.Text.Append(text, start, count);
    }

    /// <summary>BasicInterpolation._interpolate_some, walking <paramref name="text"/> by index (no copies of
    /// the remainder, so a long run of "%%" stays linear).</summary>
    private static void InterpolateInto(Expansion accumulated, string option, string text, string section,
        Dictionary<string, string> raw, string rawValue, int depth)
    {
        if (depth > MaxInterpolationDepth)
            throw new IniSyntaxException(
                $"Recursion limit exceeded in value substitution: option {PythonText.Repr(option)} in section {PythonText.Repr(section)} contains an interpolation key which cannot be substituted in {MaxInterpolationDepth} steps. Raw value: {PythonText.Repr(rawValue)}");
        int i = 0;
        while (i < text.Length)
        {
            int p = text.IndexOf('%', i);
            if (p < 0)
            {
                Append(accumulated, option, text, i, text.Length - i);
                return;
            }
            Append(accumulated, option, text, i, p - i);
            i = p;
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (next == '%')
            {
                Append(accumulated, option, "%", 0, 1);
                i += 2;
            }
            else if (next == '(')
            {
                var match = InterpolationKey().Match(text, i);
                if (!match.Success)
                    throw new IniSyntaxException($"bad interpolation variable reference {PythonText.Repr(text[i..])}");
                var name = match.Groups["key"].Value.ToLowerInvariant();
                i += match.Length;
                if (!raw.TryGetValue(name, out var value))
                    throw new IniSyntaxException(
                        $"Bad value substitution: option {PythonText.Repr(option)} in section {PythonText.Repr(section)} contains an interpolation key {PythonText.Repr(name)} which is not a valid option name. Raw value: {PythonText.Repr(rawValue)}");
                if (++accumulated.Steps > MaxSubstitutions)
                    throw new ExpansionLimitException(
                        $"option {PythonText.Repr(option)} needs more than {MaxSubstitutions} %(key)s substitutions (hv-monitor's limit)");
                if (value.Contains('%'))
                    InterpolateInto(accumulated, option, value, section, raw, rawValue, depth + 1);
                else
                    Append(accumulated, option, value, 0, value.Length);
            }
            else
            {
                throw new IniSyntaxException($"'%' must be followed by '%' or '(', found: {PythonText.Repr(text[i..])}");
            }
        }
    }
}
