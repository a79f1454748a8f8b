using HvMonitor.Collector.Backends.Cbsd;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Cbsd;

/// <summary>Table tests of the CBSD list parsers (bls, dsk-list, nic-list, jsnapshot) with literal input.</summary>
public class CbsdListParserTests
{
    private const string E = "\x1b";

    [Theory]
    [InlineData("")]
    [InlineData("\n\n")]
    [InlineData("JNAME  JID  VM_RAM  VM_CURMEM  VM_CPUS  PCPU  VM_OS_TYPE  IP4_ADDR  STATUS  VNC\n")]
    [InlineData(E + "[1;37m" + E + "[1mJNAME JID VM_RAM VM_CURMEM VM_CPUS PCPU VM_OS_TYPE IP4_ADDR STATUS VNC" + E + "[0m\n")]
    [InlineData("\\\n\nJNAME  JID  VM_RAM  VM_CURMEM  VM_CPUS  PCPU  VM_OS_TYPE  IP4_ADDR  STATUS  VNC\n\n")]
    public void BlsWithoutVmsHasNoRowsAndNoComplaint(string text)
    {
        var (rows, rejected) = BlsParser.Parse(text);
        Assert.Empty(rows);
        Assert.Empty(rejected);
    }

    public static TheoryData<string, BlsRow> BlsRows() => new()
    {
        { E + "[0m" + E + "[0;32mdebian12   48213  4096  1734  2  7   linux    10.0.0.21  On   127.0.0.1:5900  " + E + "[0m",
            new BlsRow("debian12", 48213, 4096, 1734, 2, 7, "linux", "10.0.0.21", "On", "127.0.0.1:5900") },
        { "vm10  0  1024  0  1  0  freebsd  DHCP  Off  127.0.0.1:0   \t",
            new BlsRow("vm10", 0, 1024, 0, 1, 0, "freebsd", "DHCP", "Off", "127.0.0.1:0") },
        { "t  0  1024  0  1  0  freebsd  0  Maintenance:backup   in   progress  127.0.0.1:5909",
            new BlsRow("t", 0, 1024, 0, 1, 0, "freebsd", "0", "Maintenance:backup in progress", "127.0.0.1:5909") },
        { "old  0  0  0  -  -  -  -  Unregister  0",
            new BlsRow("old", 0, 0, 0, 0, 0, "", "-", "Unregister", "0") },
        { "big  18446744073709551615  18446744073709551615  0  9007199254740993  0  linux  Unk  On  0.0.0.0:5900",
            new BlsRow("big", ulong.MaxValue, ulong.MaxValue, 0, 9007199254740993, 0, "linux", "Unk", "On", "0.0.0.0:5900") },
        // Another user colour palette (color-white.conf) is stripped as well.
        { E + "[0m" + E + "[1;30mfreebsd14.1  0  2048  0  2  0  freebsd  DHCP  Slave  127.0.0.1:5901  " + E + "[0m",
            new BlsRow("freebsd14.1", 0, 2048, 0, 2, 0, "freebsd", "DHCP", "Slave", "127.0.0.1:5901") },
    };

    [Theory]
    [MemberData(nameof(BlsRows))]
    public void BlsReadsEveryRowShape(string line, BlsRow expected)
    {
        var (rows, rejected) = BlsParser.Parse(line + "\n");
        Assert.Empty(rejected);
        Assert.Equal(expected, Assert.Single(rows));
    }

    [Theory]
    [InlineData("debian12  48213  4096")] // truncated last line
    [InlineData("debian12  48213  4096  1734  2  7  linux  10.0.0.21  On")] // a missing column
    [InlineData("debian12  48213  4096  1734  2  7  linux  10.0.0.21  On  extra  127.0.0.1:5900")] // extra cell, not a comment
    [InlineData("debian12  x  4096  1734  2  7  linux  10.0.0.21  On  127.0.0.1:5900")]
    [InlineData("debian12  1  18446744073709551616  0  2  7  linux  10.0.0.21  On  127.0.0.1:5900")] // above 2^64
    [InlineData("debian12  1  4096  0  2  7  linux  10.0.0.21  Running  127.0.0.1:5900")] // not a CBSD status
    [InlineData("Unable    to   fetch   vm         data     from:  /storage/cbsd/jails-system/elk0/local.sqlite")]
    public void BlsRejectsWhatIsNotAVmRow(string line)
    {
        var (rows, rejected) = BlsParser.Parse("ok  0  1  0  1  0  linux  0  Off  0\n" + line);
        Assert.Equal("ok", Assert.Single(rows).Name);
        Assert.Single(rejected);
    }

    [Theory]
    [InlineData("On", VmState.Running)]
    [InlineData("Off", VmState.Off)]
    [InlineData("Maintenance", VmState.Maintenance)]
    [InlineData("Maintenance:Stopping_VM", VmState.Maintenance)]
    [InlineData("Slave", VmState.Unknown)]
    [InlineData("Unknown", VmState.Unknown)]
    [InlineData("Unregister", VmState.Unknown)]
    public void StatusWordsMapToLibreNmsStates(string status, VmState state) => Assert.Equal(state, BlsParser.StateOf(status));

    [Theory]
    [InlineData("127.0.0.1:5900", "127.0.0.1:5900")]
    [InlineData("127.0.0.1:0", "")]
    [InlineData("0", "")]
    [InlineData("-", "")]
    [InlineData("[::]:5906", "[::]:5906")]
    [InlineData("Unk:5900", "Unk:5900")]
    public void TheConsoleIsBlankWhenThePortIs0(string vnc, string console) => Assert.Equal(console, BlsParser.Console(vnc));

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("DHCP", "DHCP")]
    [InlineData("0", "")]
    [InlineData("Unk", "")]
    [InlineData("-", "")]
    public void IpPlaceholdersAreBlank(string ip4, string ip) => Assert.Equal(ip, BlsParser.Ip(ip4));

    [Fact]
    public void TheJidPlaceholderHasNoPid()
    {
        var row = new BlsRow("a", 1, 1, 0, 1, 0, "", "", "On", "");
        Assert.Null(row.Pid);
        Assert.Null((row with { Jid = 0 }).Pid);
        Assert.Null((row with { Jid = (ulong)int.MaxValue + 1 }).Pid);
        Assert.Equal(48213, (row with { Jid = 48213 }).Pid);
    }

    [Fact]
    public void DiskListReadsSizesAndRejectsGarbage()
    {
        var text = E + "[0m" + E + "[0;32mvm1  dsk1.vhd  20g  " + E + "[0m\n" +
                   "vm1  dsk2.vhd  1.4G/20g\nvm1  dsk3.vhd  0\nvm1  dsk4.vhd  -\nvm1  dsk5.vhd\nvm1  dsk6.vhd  huge\n";
        var (rows, rejected) = DiskListParser.Parse(text);
        Assert.Equal([
            new DiskRow("vm1", "dsk1.vhd", new DiskSize(20UL << 30, null)),
            new DiskRow("vm1", "dsk2.vhd", new DiskSize(20UL << 30, 1503238554)),
            new DiskRow("vm1", "dsk3.vhd", new DiskSize(null, null)),
            new DiskRow("vm1", "dsk4.vhd", new DiskSize(null, null))], rows);
        Assert.Equal(["vm1 dsk5.vhd", "vm1 dsk6.vhd huge"], rejected);
    }

    [Fact]
    public void NicListNumbersEachVmsNicsInOrder()
    {
        var text = "NIC_PARENT  NIC_HWADDR\n" + // a header without JNAME is not a header of ours: rejected
                   "a  auto  00:a0:98:5b:1c:0e  \nb  bridge1  0\na  bridge1  00:a0:98:f3:44:a9\na  -  -\nc  bridge1  not-a-mac\n";
        var (rows, rejected) = NicListParser.Parse(text);
        Assert.Equal([
            new NicRow("a", 0, "auto", "00:a0:98:5b:1c:0e"),
            new NicRow("b", 0, "bridge1", ""),
            new NicRow("a", 1, "bridge1", "00:a0:98:f3:44:a9"),
            new NicRow("a", 2, "", "")], rows);
        Assert.Equal(2, rejected.Count);
    }

    [Fact]
    public void SnapshotListReadsZfsSizesAndRejectsErrors()
    {
        var text = E + "[1mJNAME SNAPNAME CREATION REFER" + E + "[0m\n" +
                   E + "[0mvm1  s1  2024-03-01__12:00  773K\n" +
                   "vm1  s2  2024-03-01__12:00  0B\nvm1  s3  2024-03-01__12:00  16E\n" +
                   "jsnapshot:  ufs  not  implemented\nvm1  s4  2024-03-01__12:00\n";
        var (rows, rejected) = SnapshotListParser.Parse(text);
        Assert.Equal([773UL * 1024, 0UL], rows.Select(r => r.ReferBytes));
        Assert.Equal(3, rejected.Count);
    }

    [Theory]
    [InlineData("20g", 21474836480UL)]
    [InlineData("512m", 536870912UL)]
    [InlineData("1t", 1099511627776UL)]
    [InlineData("100", 100UL)]
    [InlineData("773K", 791552UL)]
    [InlineData("1.39M", 1457521UL)]
    [InlineData("14.6M", 15309210UL)]
    [InlineData("2.45G", 2630667469UL)]
    [InlineData("0B", 0UL)]
    [InlineData("512B", 512UL)]
    [InlineData("15E", 17293822569102704640UL)]
    public void HumanSizesAre1024Based(string text, ulong bytes) => Assert.Equal(bytes, SizeNotation.ParseHuman(text));

    [Theory]
    [InlineData("")]
    [InlineData("B")]
    [InlineData("-")]
    [InlineData("1,5G")]
    [InlineData("16E")]
    [InlineData("20x")]
    [InlineData("-1k")]
    public void WhatIsNotASizeIsNull(string text) => Assert.Null(SizeNotation.ParseHuman(text));

    [Theory]
    [InlineData("20g", 21474836480UL, null)]
    [InlineData("1.4G/20g", 21474836480UL, 1503238554UL)]
    [InlineData("512B/1g", 1073741824UL, 512UL)]
    [InlineData("0", null, null)]
    [InlineData("0/0", null, 0UL)]
    public void DiskSizesKeepAllocAsTheSize(string text, ulong? alloc, ulong? real) =>
        Assert.Equal(new DiskSize(alloc, real), SizeNotation.ParseDiskSize(text));

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("JNAME  DSK_PATH  DSK_SIZE\n")]
    [InlineData("JNAME  NIC_PARENT  NIC_HWADDR\n")]
    [InlineData("\x1b[1mJNAME SNAPNAME CREATION REFER\x1b[0m\n")]
    public void EmptyOrHeaderOnlyListsHaveNoRows(string text)
    {
        Assert.Empty(DiskListParser.Parse(text).Rows);
        Assert.Empty(NicListParser.Parse(text).Rows);
        Assert.Empty(SnapshotListParser.Parse(text).Rows);
        Assert.Empty(DiskListParser.Parse(text).Rejected);
        Assert.Empty(NicListParser.Parse(text).Rejected);
        Assert.Empty(SnapshotListParser.Parse(text).Rejected);
    }
}
