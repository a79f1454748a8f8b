namespace HvMonitor.Reporter.Cli;

/// <summary>
/// argparse-style parsing of <c>hv-monitor report</c>'s flags (the arguments after "report"): short flags
/// may be combined (<c>-dp</c>), values attach or follow (<c>-i60</c>, <c>-i 60</c>, <c>--interval=60</c>),
/// <c>-c</c> repeats. <c>encrypt-password [-p PASSWORD]</c> is virt-who-password.
/// </summary>
public static class ReportArgumentParser
{
    public const string EncryptPasswordCommand = "encrypt-password";

    public static ReportOptions Parse(IReadOnlyList<string> args)
    {
        // --sysroot may come before the subcommand too: "report --sysroot D encrypt-password -p PW".
        int skip = 0;
        var leading = new List<string>();
        while (skip < args.Count && (args[skip] == "--sysroot" || args[skip].StartsWith("--sysroot=", StringComparison.Ordinal)))
        {
            int width = args[skip] == "--sysroot" ? 2 : 1;
            leading.AddRange(args.Skip(skip).Take(width));
            skip += width;
        }
        if (skip < args.Count && args[skip] == EncryptPasswordCommand)
            return ParseEncryptPassword([.. leading, .. args.Skip(skip + 1)]);
        var options = new ReportOptions();
        var configs = new List<string>();
        var unrecognized = new List<string>();
        // After a misplaced "encrypt-password", any unknown word may be the password: never quote it.
        bool afterSubcommand = false;
        void Unrecognized(string shown) => unrecognized.Add(afterSubcommand ? Quotable(shown) : Shared.Text.UriCredentials.MaskPasswords(shown));
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == EncryptPasswordCommand)
            {
                Unrecognized(arg);
                afterSubcommand = true;
                continue;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                int eq = arg.IndexOf('=');
                var name = eq < 0 ? arg : arg[..eq];
                string? inline = eq < 0 ? null : arg[(eq + 1)..];
                string Value(string display) => inline ?? (i + 1 < args.Count ? args[++i] : throw new ReportUsageException($"argument {display}: expected one argument"));
                void NoValue(string display)
                {
                    if (inline is not null)
                        throw new ReportUsageException($"argument {display}: ignored explicit argument '{inline}'");
                }
                switch (name)
                {
                    case "--help": NoValue("-h/--help"); options = options with { Action = ReportAction.Help }; break;
                    case "--version": NoValue("--version"); options = options with { Action = ReportAction.Version }; break;
                    case "--debug": NoValue("-d/--debug"); options = options with { Debug = true }; break;
                    case "--one-shot": NoValue("-o/--one-shot"); options = options with { OneShot = true }; break;
                    case "--print": NoValue("-p/--print"); options = options with { Print = true }; break;
                    case "--status": NoValue("-s/--status"); options = options with { Status = true }; break;
                    case "--json": NoValue("-j/--json"); options = options with { Json = true }; break;
                    case "--interval": options = options with { Interval = Value("-i/--interval") }; break;
                    case "--config": configs.Add(Value("-c/--config")); break;
                    case "--sysroot": options = options with { Sysroot = Value("--sysroot"), SysrootGiven = true }; break;
                    case "--record": options = options with { RecordDirectory = Value("--record") }; break;
                    case "--replay": options = options with { ReplayDirectory = Value("--replay") }; break;
                    default: Unrecognized(arg); break;
                }
                continue;
            }
            if (arg.StartsWith('-') && arg.Length > 1 && arg != "--")
            {
                for (int j = 1; j < arg.Length; j++)
                {
                    char flag = arg[j];
                    string TakeValue(string display)
                    {
                        var rest = arg[(j + 1)..];
                        j = arg.Length;
                        if (rest.Length > 0)
                            return rest;
                        return i + 1 < args.Count ? args[++i] : throw new ReportUsageException($"argument {display}: expected one argument");
                    }
                    switch (flag)
                    {
                        case 'h': options = options with { Action = ReportAction.Help }; break;
                        case 'd': options = options with { Debug = true }; break;
                        case 'o': options = options with { OneShot = true }; break;
                        case 'p': options = options with { Print = true }; break;
                        case 's': options = options with { Status = true }; break;
                        case 'j': options = options with { Json = true }; break;
                        case 'i': options = options with { Interval = TakeValue("-i/--interval") }; break;
                        case 'c': configs.Add(TakeValue("-c/--config")); break;
                        default:
                            Unrecognized(j == 1 ? arg : "-" + arg[j..]);
                            j = arg.Length;
                            break;
                    }
                }
                continue;
            }
            Unrecognized(arg);
        }
        if (unrecognized.Count > 0 && options.Action != ReportAction.Help)
            throw new ReportUsageException($"unrecognized arguments: {string.Join(' ', unrecognized)}");
        if (options.RecordDirectory is not null && options.ReplayDirectory is not null)
            throw new ReportUsageException("argument --replay: not allowed with argument --record");
        return options with { Configs = configs };
    }

    private static ReportOptions ParseEncryptPassword(List<string> args)
    {
        var options = new ReportOptions { Action = ReportAction.EncryptPassword };
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Next(string display) => i + 1 < args.Count ? args[++i] : throw new ReportUsageException($"argument {display}: expected one argument", encryptPassword: true);
            if (arg is "-h" or "--help")
                return options with { Action = ReportAction.EncryptPasswordHelp, PasswordToEncrypt = null };
            if (arg is "-p" or "--password")
                options = options with { PasswordToEncrypt = Next("-p/--password") };
            else if (arg.StartsWith("--password=", StringComparison.Ordinal))
                options = options with { PasswordToEncrypt = arg["--password=".Length..] };
            else if (arg.StartsWith("-p", StringComparison.Ordinal) && arg.Length > 2)
                options = options with { PasswordToEncrypt = arg[2..] };
            else if (arg == "--sysroot")
                options = options with { Sysroot = Next("--sysroot"), SysrootGiven = true };
            else if (arg.StartsWith("--sysroot=", StringComparison.Ordinal))
                options = options with { Sysroot = arg["--sysroot=".Length..], SysrootGiven = true };
            else
                throw new ReportUsageException($"unrecognized arguments: {Quotable(arg)}", encryptPassword: true);
        }
        return options;
    }

    /// <summary>An unknown argument of encrypt-password: an option's name is shown (its "=value" masked), a
    /// bare word is not, since it may be the password typed without -p.</summary>
    private static string Quotable(string arg)
    {
        if (arg == EncryptPasswordCommand || (arg.Length == 2 && arg[0] == '-'))
            return arg;
        if (!arg.StartsWith("--", StringComparison.Ordinal))
            return Shared.Text.UriCredentials.Mask;
        int eq = arg.IndexOf('=');
        return eq < 0 ? arg : arg[..(eq + 1)] + Shared.Text.UriCredentials.Mask;
    }
}
