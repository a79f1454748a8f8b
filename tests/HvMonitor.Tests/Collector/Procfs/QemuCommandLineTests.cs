using HvMonitor.Collector.Procfs;
using Xunit;

namespace HvMonitor.Tests.Collector.Procfs;

public class QemuCommandLineTests
{
    [Theory]
    [InlineData("/usr/bin/qemu-system-x86_64\0-name\0guest=web,debug-threads=on\0-S\0", "web")]
    [InlineData("qemu\0-name\0guest=lab run two,debug-threads=on\0", "lab run two")]
    [InlineData("qemu\0-name\0guest=a,,b,debug-threads=on\0", "a,b")]
    [InlineData("qemu\0-name\0guest=žluťoučký kůň,debug-threads=on\0", "žluťoučký kůň")]
    [InlineData("qemu\0-name\0oldstyle\0", "oldstyle")]
    [InlineData("qemu\0-name\0debug-threads=on,guest=later\0", "later")]
    public void FindsTheExactGuestName(string cmdline, string expected) =>
        Assert.Equal(expected, QemuCommandLine.GuestName(cmdline));

    [Theory]
    [InlineData("/bin/bash\0-c\0echo guest=web,\0")]
    [InlineData("")]
    [InlineData("qemu\0-m\064\0")]
    public void NotAQemuGuest(string cmdline) => Assert.Null(QemuCommandLine.GuestName(cmdline));

    [Fact]
    public void ANameIsNotMatchedByASuffix()
    {
        // The Perl tool's `ps | grep guest=NAME,` also matched "prodweb" for "web".
        Assert.NotEqual("web", QemuCommandLine.GuestName("qemu\0-name\0guest=prodweb,debug-threads=on\0"));
    }
}
