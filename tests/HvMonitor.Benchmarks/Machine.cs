using System.Globalization;
using System.Runtime.InteropServices;

namespace HvMonitor.Benchmarks;

/// <summary>What the numbers were measured on.</summary>
public static class Machine
{
    public static MachineInfo Describe()
    {
        var info = new MachineInfo
        {
            Cpu = FirstValue("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Cores = Environment.ProcessorCount,
            MemoryMiB = (long.TryParse((FirstValue("/proc/meminfo", "MemTotal", ':') ?? "").Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib) ? kib : 0) / 1024,
            Kernel = ReadTrim("/proc/sys/kernel/osrelease") ?? "",
            Os = (FirstValue("/etc/os-release", "PRETTY_NAME", '=') ?? RuntimeInformation.OSDescription).Trim('"'),
            HarnessRuntime = RuntimeInformation.FrameworkDescription,
        };
        if (Exec.Which("virsh") is not null)
        {
            var v = Exec.Capture("virsh", "--version");
            info.Libvirt = v.Ok ? "libvirt " + v.Stdout.Trim() : "";
        }
        return info;
    }

    public static string LoadAverage() => string.Join(' ', (ReadTrim("/proc/loadavg") ?? "").Split(' ').Take(3));

    private static string? ReadTrim(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FirstValue(string path, string key, char separator)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                int i = line.IndexOf(separator);
                if (i > 0 && line[..i].Trim() == key)
                    return line[(i + 1)..].Trim();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
