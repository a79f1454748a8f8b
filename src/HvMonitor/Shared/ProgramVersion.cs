namespace HvMonitor.Shared;

/// <summary>The version both programs print (the assembly's, as major.minor.build).</summary>
public static class ProgramVersion
{
    public static string Text { get; } = typeof(ProgramVersion).Assembly.GetName().Version is { } v
        ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0";
}
