using HvMonitor.Reporter;
using HvMonitor.Reporter.Cli;
using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Text;
using Xunit;

namespace HvMonitor.Tests.Reporter;

/// <summary>A refused command line never prints a password back; URI passwords are masked in every log line.</summary>
public class SecretEchoTests
{
    [Theory]
    [InlineData("qemu+ssh://user:pw@host/system", "qemu+ssh://user:***@host/system")]
    [InlineData("cannot connect to 'qemu+tcp://monitor:S3cr:t@x@10.0.0.1:16509/system?no_tty=1': refused",
        "cannot connect to 'qemu+tcp://monitor:***@10.0.0.1:16509/system?no_tty=1': refused")]
    [InlineData("two: a://u:p@h/ b://v:q@i", "two: a://u:***@h/ b://v:***@i")]
    [InlineData("qemu+tcp://h:16509/system", "qemu+tcp://h:16509/system")]
    [InlineData("qemu+ssh://root@h/system", "qemu+ssh://root@h/system")]
    [InlineData("no uri here: a:b@c", "no uri here: a:b@c")]
    public void UriPasswordsAreMasked(string text, string expected) =>
        Assert.Equal(expected, UriCredentials.MaskPasswords(text));

    [Fact]
    public void LogLinesMaskUriPasswords()
    {
        var writer = new StringWriter();
        new TextWriterLog(writer, LogLevel.Debug).Error("cannot connect to libvirt at 'qemu+ssh://u:Hunter2@h/system': no route");
        Assert.DoesNotContain("Hunter2", writer.ToString());
        Assert.Contains("'qemu+ssh://u:***@h/system'", writer.ToString());
    }

    [Theory]
    [InlineData("--sysroot", "D", "encrypt-password", "-p", "PW")]
    [InlineData("--sysroot=D", "encrypt-password", "--password=PW")]
    public void SysrootBeforeTheSubcommandWorks(params string[] args)
    {
        var options = ReportArgumentParser.Parse(args);
        Assert.Equal((ReportAction.EncryptPassword, "D", true, "PW"), (options.Action, options.Sysroot, options.SysrootGiven, options.PasswordToEncrypt));
    }

    [Theory]
    [InlineData("encrypt-password", "-p", "PW-SECRET", "--bogus")]
    [InlineData("encrypt-password", "--password=PW-SECRET", "--bogus=PW-SECRET")]
    [InlineData("encrypt-password", "PW-SECRET")]
    [InlineData("--bogus", "encrypt-password", "-p", "PW-SECRET")]
    [InlineData("--sysroot", "D", "--bogus", "encrypt-password", "-pPW-SECRET")]
    [InlineData("-c", "x", "qemu+ssh://u:PW-SECRET@h/")]
    public void ARefusedCommandLineNeverEchoesAPassword(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ReporterProgram.Run(args, stdout, stderr);
        Assert.Equal(HvMonitor.Shared.ExitCodes.Usage, code);
        Assert.Contains("error: unrecognized arguments", stderr.ToString());
        Assert.DoesNotContain("PW-SECRET", stderr.ToString() + stdout);
    }

    [Fact]
    public void LogPerConfigFileNamesAreVirtWhos()
    {
        Assert.Equal("virtwho.rhsm_log.log", ReporterLogFiles.FileName(ReporterLogFiles.MainLoggerName("rhsm.log")));
        Assert.Equal("virtwho.sub_dir_x_log.log", ReporterLogFiles.FileName(ReporterLogFiles.MainLoggerName("sub/dir/x.log")));
        var name = ReporterLogFiles.DestinationLoggerName(["a", "b"]);
        Assert.Matches("^destination_-?[0-9]+$", name);
        Assert.Equal(name, ReporterLogFiles.DestinationLoggerName(["a", "b"]));
        Assert.NotEqual(name, ReporterLogFiles.DestinationLoggerName(["a"]));
    }
}
