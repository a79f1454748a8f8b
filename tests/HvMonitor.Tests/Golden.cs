using Xunit;

namespace HvMonitor.Tests;

/// <summary>
/// Whole-output comparisons with a golden file in samples/. <c>HV_MONITOR_REWRITE_GOLDEN=1</c> rewrites every golden file
/// on purpose (then review the diff); it is the only such switch.
/// </summary>
public static class Golden
{
    public const string RewriteVariable = "HV_MONITOR_REWRITE_GOLDEN";

    public static void AssertMatches(string goldenPath, string actual)
    {
        if (Environment.GetEnvironmentVariable(RewriteVariable) == "1")
            File.WriteAllText(goldenPath, actual);
        Assert.Equal(File.ReadAllText(goldenPath), actual);
    }
}
