using HvMonitor.Shared.Cbsd;
using Xunit;

namespace HvMonitor.Tests.Shared.Cbsd;

/// <summary>The CBSD table reader and status words both programs use (collector's bls, reporter's guest list).</summary>
public class CbsdTableTests
{
    [Theory]
    [InlineData("On", true)]
    [InlineData("Off", true)]
    [InlineData("Slave", true)]
    [InlineData("Unknown", true)]
    [InlineData("Unregister", true)]
    [InlineData("Maintenance", true)]
    [InlineData("Maintenance:Stopping_VM", true)]
    [InlineData("Maintenance:backup in progress", true)]
    [InlineData("On:x", false)]
    [InlineData("Off now", false)]
    [InlineData("on", false)]
    [InlineData("Unable", false)]
    public void StatusWordsAreCbsdsOwn(string status, bool valid) => Assert.Equal(valid, CbsdStatus.IsStatus(status));

    [Fact]
    public void TheWordIsWhatPrecedesTheComment() =>
        Assert.Equal(["Maintenance", "On", "Maintenance"], new[] { "Maintenance:a:b", "On", "Maintenance" }.Select(CbsdStatus.Word));

    [Fact]
    public void ColouredRowsAreSplitOnBlanksAndTheSpanColumnTakesTheExtraCells()
    {
        const string text = "\x1b[0m\x1b[0;32mvm1   48213  Maintenance:backup  in  progress  \x1b[0m\n" +
                            "\x1b[0m\x1b[0;36mvm2   0      Off  \x1b[0m\n" +
                            "Unable  to  fetch  vm  data\n";
        var table = CbsdTableParser.Parse(text, ["jname", "jid", "status"], "status",
            r => CbsdNumbers.TryUInt64(r["jid"], out _) && CbsdStatus.IsStatus(r["status"]));
        Assert.Equal([("vm1", "48213", "Maintenance:backup in progress"), ("vm2", "0", "Off")],
            table.Rows.Select(r => (r["jname"], r["jid"], r["status"])));
        Assert.Equal(["Unable to fetch vm data"], table.RejectedLines);
    }

    [Fact]
    public void AHeaderLineSetsTheColumns()
    {
        var table = CbsdTableParser.Parse("JID  JNAME  STATUS\n7  vm1  On\n", ["jname", "jid", "status"], "status", _ => true);
        Assert.Equal(("vm1", "7"), (table.Rows[0]["jname"], table.Rows[0]["jid"]));
    }
}
