using System.Text;
using HvMonitor.Reporter.Config;

namespace HvMonitor.Reporter.Cli;

/// <summary>
/// <c>hv-monitor report encrypt-password [-p PASSWORD]</c>, virt-who-password's behaviour (docs/virt-who-compatibility.md,
/// "Encrypted passwords"): root only (unless --sysroot points elsewhere), prompt without echo, key file created 0600 in a
/// 0700 directory when missing, the hint on stderr and the hex on stdout.
/// </summary>
public static class EncryptPasswordCommand
{
    public static int Run(ReportOptions options, TextWriter stdout, TextWriter stderr, Func<string?> readPassword)
    {
        if (!options.SysrootGiven && !Environment.IsPrivilegedProcess)
        {
            stderr.WriteLine("Only root can encrypt passwords");
            return 1;
        }
        var password = options.PasswordToEncrypt ?? readPassword();
        if (password is null)
        {
            stderr.WriteLine("hv-monitor report encrypt-password: no password given");
            return 1;
        }
        var paths = new ReporterPaths(options.Sysroot);
        PasswordKey key;
        try
        {
            key = LoadOrCreateKey(paths);
        }
        catch (Exception e) when (e is KeyFileException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"Unable to read key file: {e.Message}");
            return 1;
        }
        stderr.WriteLine("Use following as value for encrypted_password key in the configuration file:");
        stdout.WriteLine(key.Encrypt(password));
        stdout.Flush();
        return 0;
    }

    public static PasswordKey LoadOrCreateKey(ReporterPaths paths)
    {
        if (File.Exists(paths.KeyFile))
            return PasswordKey.Load(paths.KeyFile);
        Directory.CreateDirectory(paths.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var (key, text) = PasswordKey.Generate();
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        try
        {
            using var stream = new FileStream(paths.KeyFile, options);
            stream.Write(Encoding.ASCII.GetBytes(text));
        }
        catch (IOException) when (File.Exists(paths.KeyFile))
        {
            // Another run created it first: use that one, so both encrypted values stay readable.
            return PasswordKey.Load(paths.KeyFile);
        }
        return key;
    }

    /// <summary>Prompts "Password: " on stderr; reads without echo from a terminal, else one line of stdin.</summary>
    public static string? Prompt(TextWriter stderr)
    {
        stderr.Write("Password: ");
        stderr.Flush();
        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine();
            stderr.WriteLine();
            return line;
        }
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                    text.Length--;
                continue;
            }
            text.Append(key.KeyChar);
        }
        stderr.WriteLine();
        return text.ToString();
    }
}
