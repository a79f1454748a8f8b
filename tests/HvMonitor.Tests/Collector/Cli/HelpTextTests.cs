using HvMonitor.Collector.Cli;
using Xunit;

namespace HvMonitor.Tests.Collector.Cli;

public class HelpTextTests
{
    [Theory]
    [InlineData("--backend")]
    [InlineData("--compress")]
    [InlineData("--write")]
    [InlineData("--output")]
    [InlineData("--quiet")]
    [InlineData("--uri")]
    [InlineData("--pretty")]
    [InlineData("--timeout")]
    [InlineData("--version")]
    [InlineData("--help")]
    [InlineData("/var/cache/hv_monitor.json")]
    [InlineData("qemu:///system")]
    [InlineData("*/5 * * * *")]
    [InlineData("extend hv-monitor")]
    [InlineData("3 incomplete")]
    public void HelpListsEveryFlagDefaultAndTheCronAndSnmpdLines(string expected) =>
        Assert.Contains(expected, HelpText.Usage);

    [Fact]
    public void HelpShowsTheCrontabExampleLine()
    {
        var cronLine = File.ReadAllLines(Path.Combine(RepoPaths.Root, "crontab.example"))
            .First(l => l.Length > 0 && !l.StartsWith('#'));
        Assert.Contains(cronLine.Split("root").Last().Trim(), HelpText.Usage);
    }
}
