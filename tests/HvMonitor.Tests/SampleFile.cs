namespace HvMonitor.Tests;

/// <summary>A recorded probe output from samples/: the first line is "# COMMAND", the rest its exact output.</summary>
public static class SampleFile
{
    public static string Read(string relativePath)
    {
        var text = File.ReadAllText(RepoPaths.Sample(relativePath.Split('/')));
        if (!text.StartsWith("# ", StringComparison.Ordinal))
            throw new InvalidDataException($"{relativePath} does not start with the command that produced it");
        return text[(text.IndexOf('\n') + 1)..];
    }

    public static string Command(string relativePath) =>
        File.ReadLines(RepoPaths.Sample(relativePath.Split('/'))).First()[2..];
}
