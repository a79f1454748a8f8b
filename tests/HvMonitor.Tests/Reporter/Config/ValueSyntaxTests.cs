using HvMonitor.Reporter.Config;
using HvMonitor.Reporter.Sources;
using Xunit;

namespace HvMonitor.Tests.Reporter.Config;

/// <summary>Lists, the libvirt server rewrite (with D3) and the host filters (docs/virt-who-compatibility.md, "Values and lists", "The server URI", "Host filters").</summary>
public class ValueSyntaxTests
{
    [Theory]
    [InlineData("a,b", new[] { "a", "b" })]
    [InlineData(" a , b c ,", new[] { "a", "bc" })]
    [InlineData("\"a, b\", 'c d'", new[] { "a, b", "c d" })]
    [InlineData("a\\,b,c\\\\", new[] { "a,b", "c\\" })]
    [InlineData("", new string[0])]
    [InlineData(",", new[] { "" })]
    [InlineData("a,,b", new[] { "a", "", "b" })]
    [InlineData("žluť,kůň", new[] { "žluť", "kůň" })]
    public void Lists(string text, string[] expected) => Assert.Equal(expected, ListSyntax.Parse(text));

    [Theory]
    [InlineData("\"abc", "Unterminated double quote sign")]
    [InlineData("a,'b", "Unterminated single quote sign")]
    public void UnterminatedQuotes(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ListSyntaxException>(() => ListSyntax.Parse(text)).Message);

    [Theory]
    [InlineData("1.2.3.4", "admin", "qemu+ssh://admin@1.2.3.4/system?no_tty=1")]
    [InlineData("qemu:///system", null, "qemu:///system")]
    [InlineData("qemu+ssh://root@h:2222/system?keyfile=/k", null, "qemu+ssh://root@h:2222/system?keyfile=/k&no_tty=1")]
    [InlineData("qemu+ssh://root@h/system", "admin", "qemu+ssh://admin@h/system?no_tty=1")]
    [InlineData("qemu+ssh://root:pw@h/system", null, "qemu+ssh://root@h/system?no_tty=1")]
    [InlineData("qemu+tcp://h/", null, "qemu+tcp://h/system")]
    [InlineData("qemu+tcp://127.0.0.1:1/system", null, "qemu+tcp://127.0.0.1:1/system")]
    [InlineData("[fe80::1]", null, "qemu+ssh://[fe80::1]/system?no_tty=1")]
    [InlineData("h/session", null, "qemu+ssh://h/session?no_tty=1")]
    [InlineData("abc://server/test", null, "abc://server/test")]
    [InlineData("qemu+ssh://h/system?no_tty=1", null, "qemu+ssh://h/system?no_tty=1")]
    [InlineData("qemu+libssh2://h", null, "qemu+libssh2://h/system?no_tty=1")]
    public void ServerRewrite(string server, string? username, string expected) =>
        Assert.Equal(expected, LibvirtUriRewriter.Rewrite(server, username).Uri);

    [Theory]
    [InlineData("qemu+tcp://u:pw@h:1/system?x=a:b@c", "qemu+tcp://u@h:1/system?x=a:b@c")]
    [InlineData("qemu+tcp://u@h/system", "qemu+tcp://u@h/system")]
    [InlineData("qemu:///system", "qemu:///system")]
    [InlineData("u:p@h", "u@h")]
    public void PasswordsLeaveUris(string uri, string expected) => Assert.Equal(expected, LibvirtUriRewriter.WithoutPassword(uri));

    [Fact]
    public void RewriteSaysWhatItAssumed()
    {
        var messages = LibvirtUriRewriter.Rewrite("h", null).Messages.Select(m => m.Text);
        Assert.Equal(["Protocol is not specified in libvirt url, using qemu+ssh://", "Libvirt path is not specified in the url, using /system"], messages);
    }

    private static HostFilterSettings Filter(string? include, string? exclude, FilterType type) =>
        new(Items(include), Items(exclude), type);

    // Patterns as they are after list parsing (a config file needs \\d for \d, since \x is an escape there).
    private static string[]? Items(string? text) => text is null ? null : text.Length == 0 ? [] : text.Split(',');

    [Theory]
    // unset filter_type: either test may match
    [InlineData("host1.example.com", "host*", null, FilterType.Either, true)]
    [InlineData("host1.example.com", "host\\d\\..*", null, FilterType.Either, true)]
    [InlineData("host1.example.com", "other*", null, FilterType.Either, false)]
    // wildcards: fnmatch, case-insensitive
    [InlineData("HOST1.example.com", "host?.EXAMPLE.com", null, FilterType.Wildcards, true)]
    [InlineData("host1", "host[0-9]", null, FilterType.Wildcards, true)]
    [InlineData("hostx", "host[!0-9]", null, FilterType.Wildcards, true)]
    [InlineData("host1", "host[!0-9]", null, FilterType.Wildcards, false)]
    [InlineData("host1", "host.", null, FilterType.Wildcards, false)]
    [InlineData("a+b", "a+b", null, FilterType.Wildcards, true)]
    // regex: anchored, case-insensitive, invalid matches nothing
    [InlineData("Host1", "host\\d", null, FilterType.Regex, true)]
    [InlineData("xhost1", "host\\d", null, FilterType.Regex, false)]
    [InlineData("host1", "host*", null, FilterType.Regex, false)]
    [InlineData("hostttt", "host*", null, FilterType.Regex, true)]
    [InlineData("host1", "(", null, FilterType.Regex, false)]
    // exclusion first; an empty filter_hosts filters everything; an empty exclude_hosts excludes nothing
    [InlineData("host1", "host*", "host1", FilterType.Either, false)]
    [InlineData("host1", "", null, FilterType.Either, false)]
    [InlineData("host1", null, "", FilterType.Either, true)]
    [InlineData("host1", null, null, FilterType.Either, true)]
    [InlineData("4c4c4544-0034-4d10-8031-b8c04f4a4e32", "4C4C4544-*", null, FilterType.Wildcards, true)]
    public void HostFilters(string host, string? include, string? exclude, FilterType type, bool kept) =>
        Assert.Equal(kept, HostFilter.Keeps(host, Filter(include, exclude, type)));
}
