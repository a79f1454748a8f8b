using HvMonitor.Collector.Backends;
using HvMonitor.Collector.Cli;
using Xunit;

namespace HvMonitor.Tests.Collector.Cli;

public class ArgumentParserTests
{
    [Fact]
    public void NoArgumentsMeansCollectWithDocumentedDefaults()
    {
        var o = ArgumentParser.Parse([]);
        Assert.Equal(CliAction.Collect, o.Action);
        Assert.Equal(BackendKind.Libvirt, o.Backend); // tests run on Linux
        Assert.False(o.Compress);
        Assert.False(o.Write);
        Assert.Equal("/var/cache/hv_monitor.json", o.OutputBase);
        Assert.Null(o.Uri);
        Assert.Equal(TimeSpan.FromSeconds(30), o.Timeout);
    }

    [Theory]
    [InlineData("-cw")]
    [InlineData("-wc")]
    [InlineData("-c", "-w")]
    [InlineData("--compress", "--write")]
    public void ShortFlagsBundleLikeThePerlTool(params string[] args)
    {
        var o = ArgumentParser.Parse(args);
        Assert.True(o.Compress);
        Assert.True(o.Write);
    }

    [Theory]
    [InlineData("/tmp/x.json", "-o", "/tmp/x.json")]
    [InlineData("/tmp/x.json", "-o/tmp/x.json")]
    [InlineData("/tmp/x.json", "-cwo", "/tmp/x.json")]
    [InlineData("/tmp/x.json", "--output", "/tmp/x.json")]
    [InlineData("/tmp/x.json", "--output=/tmp/x.json")]
    [InlineData("/tmp/a b.json", "-o", "/tmp/a b.json")]
    public void OutputTakesAPath(string expected, params string[] args) =>
        Assert.Equal(expected, ArgumentParser.Parse(args).OutputBase);

    [Theory]
    [InlineData("libvirt", BackendKind.Libvirt)]
    [InlineData("Libvirt", BackendKind.Libvirt)]
    [InlineData("LIBVIRT", BackendKind.Libvirt)]
    [InlineData("CBSD", BackendKind.Cbsd)]
    [InlineData("cbsd", BackendKind.Cbsd)]
    public void BackendIsCaseInsensitive(string name, BackendKind expected) =>
        Assert.Equal(expected, ArgumentParser.Parse(["-b", name]).Backend);

    [Fact]
    public void QuietWithWriteIsAccepted()
    {
        var o = ArgumentParser.Parse(["-cwq"]);
        Assert.True(o.Quiet && o.Write && o.Compress);
    }

    [Theory]
    [InlineData("-q")]
    [InlineData("-cq")]
    public void QuietWithoutWriteIsAUsageError(params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args));
        Assert.Contains("-w", e.Message);
    }

    [Theory]
    [InlineData("unknown option '-x'", "-x")]
    [InlineData("unknown option '-x'", "-cx")]
    [InlineData("unknown option '--frobnicate'", "--frobnicate")]
    [InlineData("unknown backend 'xen'", "-b", "xen")]
    [InlineData("option '-o' needs a value", "-o")]
    [InlineData("option '--uri' needs a value", "--uri")]
    [InlineData("unexpected argument 'extra'", "extra")]
    [InlineData("takes no value", "--pretty=yes")]
    [InlineData("--timeout takes a number of seconds", "--timeout", "soon")]
    [InlineData("--timeout takes a number of seconds", "--timeout", "0")]
    public void BadCommandLinesSayWhatIsWrong(string expectedMessagePart, params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args));
        Assert.Contains(expectedMessagePart, e.Message);
    }

    [Fact]
    public void UriPrettyAndTimeout()
    {
        var o = ArgumentParser.Parse(["--uri", "test:///default", "--pretty", "--timeout=2.5"]);
        Assert.Equal("test:///default", o.Uri);
        Assert.True(o.Pretty);
        Assert.Equal(TimeSpan.FromSeconds(2.5), o.Timeout);
    }

    [Theory]
    [InlineData(CliAction.Help, "-h")]
    [InlineData(CliAction.Help, "--help")]
    [InlineData(CliAction.Version, "-v")]
    [InlineData(CliAction.Version, "--version")]
    [InlineData(CliAction.Help, "-v", "-h")]
    [InlineData(CliAction.Help, "-q", "-h")] // help even when the rest would be a usage error
    public void HelpAndVersion(CliAction expected, params string[] args) =>
        Assert.Equal(expected, ArgumentParser.Parse(args).Action);
}
