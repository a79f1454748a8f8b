using HvMonitor.Shared.Commands;

namespace HvMonitor.Tests;

/// <summary>
/// A recorded probe output from samples/, in the one format every recording has (<see cref="RecordingFile"/>): the first
/// line is "$ COMMAND", the command that produced it, the rest its exact output.
/// </summary>
public static class SampleFile
{
    public static string Read(string relativePath) => Parse(relativePath).Result.StdoutText(out _);

    private static RecordingFile Parse(string relativePath) =>
        RecordingFile.Parse(File.ReadAllBytes(RepoPaths.Sample(relativePath.Split('/'))), relativePath);
}
