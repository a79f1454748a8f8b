using HvMonitor.Reporter.Sources.Cbsd;
using Xunit;

namespace HvMonitor.Tests.Reporter.Sources;

/// <summary>The pure parts of type=cbsd: the guest-visible UUID and the bls guest list.</summary>
public class CbsdSourceParsingTests
{
    // Expected values computed independently with Python's hashlib from bhyve's smbiostbl.c rule (MD5 of the
    // VM name then the 256-byte hostname buffer, version/variant bits, SMBIOS 2.6 little-endian fields).
    [Theory]
    [InlineData("debian12", "bsd1.example.com", "0055173c-2981-3036-ab71-587083aa5089")]
    [InlineData("vm1", "freebsd", "cd908f5f-dd25-bc3a-acfd-b82cd61c6b69")]
    [InlineData("žluť", "host", "85730bad-f78e-673c-92ec-dbe18d54579d")]
    public void DerivedUuidFollowsBhyve(string vm, string host, string expected)
    {
        Assert.Equal(expected, BhyveUuid.Derived(vm, host));
        Assert.Equal('3', expected[16]); // after the SMBIOS byte swap the version nibble is the third group's third digit
    }

    [Theory]
    [InlineData("4C4C4544-0034-4D10-8031-B8C04F4A4E32", "4c4c4544-0034-4d10-8031-b8c04f4a4e32")]
    [InlineData("0", "cd908f5f-dd25-bc3a-acfd-b82cd61c6b69")]
    [InlineData("", "cd908f5f-dd25-bc3a-acfd-b82cd61c6b69")]
    [InlineData(null, "cd908f5f-dd25-bc3a-acfd-b82cd61c6b69")]
    [InlineData("-", "cd908f5f-dd25-bc3a-acfd-b82cd61c6b69")]
    public void CbsdUuidSettingWinsWhenSet(string? setting, string expected) =>
        Assert.Equal(expected, BhyveUuid.GuestVisible(setting, "vm1", "freebsd"));

    [Fact]
    public void GuestListRowsStatesAndRejects()
    {
        const string text =
            "\u001b[0;32mdebian12  48213  4C4C4544-0034-4D10-8031-B8C04F4A4E32  On\u001b[0m\n" +
            "test1     0      0                                     Maintenance:Stopping VM\n" +
            "busy      777    0                                     Maintenance\n" +
            "off1      0      0                                     Off\n" +
            "slave0    0      0                                     Slave\n" +
            "Unable    to     fetch  vm data from: /usr/jails/jails-system/zz9/local.sqlite\n";
        var (rows, rejected) = CbsdGuestList.Parse(text);
        Assert.Equal(["debian12", "test1", "busy", "off1", "slave0"], rows.Select(r => r.Name));
        Assert.Equal([1, 0, 1, 5, 0], rows.Select(r => r.State));
        Assert.Equal("Maintenance:Stopping VM", rows[1].Status);
        Assert.Single(rejected);
    }
}
