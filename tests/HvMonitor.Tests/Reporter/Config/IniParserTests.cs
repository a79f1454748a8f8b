using HvMonitor.Reporter.Config;
using Xunit;

namespace HvMonitor.Tests.Reporter.Config;

/// <summary>Python configparser's dialect as virt-who uses it (docs/virt-who-compatibility.md, "INI dialect"), as literal text.</summary>
public class IniParserTests
{
    private static IniDocument Parse(string text) => IniParser.Parse(text, "/etc/virt-who.d/x.conf");

    private static string? Value(string text, string section, string key) =>
        Parse(text).Sections.Single(s => s.Name == section).Get(key);

    [Theory]
    [InlineData("[a]\ntype=libvirt\n", "libvirt")]
    [InlineData("[a]\ntype : libvirt\n", "libvirt")]
    [InlineData("[a]\n  type   =   libvirt  \n", "libvirt")]
    [InlineData("[a]\ntype=libvirt ; x\n", "libvirt ; x")]
    [InlineData("[a]\ntype=libvirt # x\n", "libvirt # x")]
    [InlineData("[a]\ntype=a=b:c\n", "a=b:c")]
    [InlineData("[a]\ntype:a=b\n", "a=b")]
    [InlineData("[a]\nTYPE=libvirt\n", "libvirt")]
    [InlineData("[a]\ntype=first\ntype=second\n", "second")]
    [InlineData("[a]\ntype=one\n  two\n\tthree\n", "one\ntwo\nthree")]
    [InlineData("[a]\ntype=one\n  # comment\n  two\n", "one\ntwo")]
    [InlineData("[a]\ntype=one\n\n  two\n", "one\n\ntwo")]
    [InlineData("[a]\ntype=one\n\n", "one")]
    [InlineData("[a]\ntype=100%%\n", "100%")]
    [InlineData("[a]\nhost=h1\ntype=%(host)s-x\n", "h1-x")]
    [InlineData("[DEFAULT]\nhost=h2\n[a]\ntype=%(HOST)s\n", "h2")]
    [InlineData("[a]\ntype=\"quoted\"\n", "\"quoted\"")]
    [InlineData("; comment\n# comment\n[a]\ntype=x\n", "x")]
    [InlineData("[a]\r\ntype=crlf\r\n", "crlf")]
    [InlineData("[a]\ntype=\n", "")]
    public void ValueOfTypeInSectionA(string text, string expected) => Assert.Equal(expected, Value(text, "a", "type"));

    [Fact]
    public void DuplicateSectionsMergeAndSectionNamesKeepTheirCase()
    {
        var doc = Parse("[a]\nx=1\n[A]\ny=2\n[a]\nz=3\n");
        Assert.Equal(["a", "A"], doc.Sections.Select(s => s.Name));
        Assert.Equal(["x", "z"], doc.Sections[0].Options.Select(o => o.Key));
        Assert.Null(doc.DuplicateOptionMessage);
    }

    [Fact]
    public void DefaultAppliesToEverySectionOfTheFileAndIsNoSectionItself()
    {
        var doc = Parse("[DEFAULT]\nowner=o\n[a]\ntype=libvirt\n[b]\nowner=mine\n");
        Assert.Equal(["a", "b"], doc.Sections.Select(s => s.Name));
        Assert.Equal("o", doc.Sections[0].Get("owner"));
        Assert.Equal("mine", doc.Sections[1].Get("owner"));
    }

    [Theory]
    [InlineData("[a]\nx=1\nx=2\n", "While reading from '/etc/virt-who.d/x.conf' [line  3]: option 'x' in section 'a' already exists")]
    [InlineData("[a]\nx=1\n\n\n\n\n\n\n\n\n\nX=2\n", "While reading from '/etc/virt-who.d/x.conf' [line 12]: option 'x' in section 'a' already exists")]
    [InlineData("[a]\nx=1\n[b]\ny=1\n[a]\nx=2\n", null)] // the strict pass stops at the duplicate section
    public void FirstDuplicateOptionIsReported(string text, string? expected) => Assert.Equal(expected, Parse(text).DuplicateOptionMessage);

    [Theory]
    [InlineData("[a]\npassword=abc%cd\n", "'%' must be followed by '%' or '(', found: '%cd'")]
    [InlineData("[a]\npassword=50%\n", "'%' must be followed by '%' or '(', found: '%'")]
    [InlineData("[a]\nx=%(missing)s\n", "Bad value substitution: option 'x' in section 'a' contains an interpolation key 'missing' which is not a valid option name. Raw value: '%(missing)s'")]
    [InlineData("[a]\nx=%(y\n", "bad interpolation variable reference '%(y'")]
    [InlineData("[a]\ngarbage line\n", "Source contains parsing errors: '/etc/virt-who.d/x.conf'\n\t[line  2]: 'garbage line\\n'")]
    [InlineData("[a]\n=value\n", "Source contains parsing errors: '/etc/virt-who.d/x.conf'\n\t[line  2]: '=value\\n'")]
    public void ErrorsRejectTheWholeFile(string text, string message)
    {
        var e = Assert.ThrowsAny<IniSyntaxException>(() => Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void RecursiveInterpolationStopsAtPythonsDepthLimit()
    {
        var e = Assert.Throws<IniSyntaxException>(() => Parse("[a]\nx=%(y)s\ny=%(x)s\n"));
        Assert.StartsWith("Recursion limit exceeded in value substitution: option 'x' in section 'a'", e.Message);
    }

    [Theory]
    [InlineData("type=libvirt\n")]
    [InlineData("# only a comment\nowner=x\n[a]\n")]
    public void TextBeforeAnyHeaderIsAMissingSectionHeader(string text) =>
        Assert.Throws<IniMissingSectionHeaderException>(() => Parse(text));

    [Fact]
    public void NamesAndValuesWithSpacesQuotesAndNonAsciiAreData()
    {
        var doc = Parse("[my \"odd\" section ž]\nowner = Org \\ \"x\" ž\n");
        Assert.Equal("my \"odd\" section ž", doc.Sections[0].Name);
        Assert.Equal("Org \\ \"x\" ž", doc.Sections[0].Get("owner"));
    }

    [Theory]
    [InlineData("\"root\"", "root")]
    [InlineData("\" root \"", " root ")]
    [InlineData("'root'", "root")]
    [InlineData("\"ro\"ot\"", "\"ro\"ot\"")]
    [InlineData("\"root'", "\"root'")]
    [InlineData("'it\"s'", "it\"s")]
    [InlineData("\"", "")]
    [InlineData("", "")]
    public void UnquoteStripsOneMatchingPairWithoutThatQuoteInside(string raw, string expected) =>
        Assert.Equal(expected, ConfigurationLoader.Unquote(raw));
}
