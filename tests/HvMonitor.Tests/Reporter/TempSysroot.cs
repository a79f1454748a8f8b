using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Logging;

namespace HvMonitor.Tests.Reporter;

/// <summary>A throw-away --sysroot: files written under it, the real loader pointed at it, removed after.</summary>
public sealed class TempSysroot : IDisposable
{
    public TempSysroot()
    {
        Root = Path.Combine(Path.GetTempPath(), "hvm-sysroot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public ReporterPaths Paths => new(Root);

    /// <summary>Writes <paramref name="text"/> at the absolute system path under the sysroot (e.g. /etc/virt-who.conf).</summary>
    public string Write(string systemPath, string text)
    {
        var path = Paths.Under(systemPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string DropIn(string name, string text) => Write("/etc/virt-who.d/" + name, text);

    /// <summary>Both loader steps, with the command line's configs (-c) when given.</summary>
    public (ReporterConfiguration? Configuration, MemoryLog Log, string? Failure) Load(params string[] configs)
    {
        var log = new MemoryLog();
        var loader = new ConfigurationLoader(Paths, log);
        try
        {
            var configuration = loader.Load(g => configs.Length > 0 ? g with { Configs = configs } : g);
            return (configuration, log, null);
        }
        catch (ConfigurationException e)
        {
            return (null, log, e.Message);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
