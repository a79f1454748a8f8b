using HvMonitor.Collector.Backends.Libvirt;
using Xunit;

namespace HvMonitor.Tests.Collector.Backends.Libvirt;

public class DomstatsRawParserTests
{
    [Theory]
    [InlineData("libvirt/domstats-raw.txt")]
    [InlineData("libvirt/test-domstats-raw.txt")]
    public void EveryRecordedDomainAndEveryKeyIsParsed(string sample)
    {
        var text = SampleFile.Read(sample);
        var parsed = DomstatsRawParser.Parse(text);
        // Independent reading of the same text: blocks start at "Domain: '", values are "  key=value".
        var blocks = text.Split("Domain: '", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(blocks.Length, parsed.Count);
        foreach (var (block, stats) in blocks.Zip(parsed))
        {
            var lines = block.Split('\n');
            Assert.Equal(lines[0][..lines[0].LastIndexOf('\'')], stats.Name);
            var pairs = lines.Skip(1).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
            Assert.Equal(pairs.Count, stats.Values.Count);
            foreach (var pair in pairs)
            {
                var key = pair.Trim()[..pair.Trim().IndexOf('=')];
                Assert.Equal(pair.Trim()[(key.Length + 1)..], stats.Text(key));
            }
        }
    }

    [Fact]
    public void NamesWithSpacesAndNonAsciiLettersSurvive()
    {
        var names = DomstatsRawParser.Parse(SampleFile.Read("libvirt/domstats-raw.txt")).Select(d => d.Name).ToList();
        Assert.Contains("hvm lab two", names);
        Assert.Contains("hvm-žluťoučký-kůň", names);
    }

    [Fact]
    public void ANameContainingQuotesIsTakenUpToTheLastQuote()
    {
        var parsed = DomstatsRawParser.Parse("Domain: 'it's \"odd\"'\n  state.state=5\n");
        Assert.Equal("it's \"odd\"", parsed.Single().Name);
        Assert.Equal(5UL, parsed.Single().UInt64("state.state"));
    }

    [Theory]
    [InlineData("  state.state=1\n", "line 1")]
    [InlineData("Domain: 'a'\nstate.state=1\n", "line 2")]
    [InlineData("Domain: 'a'\n  novalue\n", "line 2")]
    [InlineData("Domain: 'a\n", "unterminated")]
    public void MalformedTextSaysWhere(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => DomstatsRawParser.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void NumbersAreReadAsCountersAndTextIsNot()
    {
        var d = DomstatsRawParser.Parse("Domain: 'a'\n  block.0.rd.bytes=18446744073709551615\n  block.0.path=/x\n  x=-1\n  y=2.5\n")[0];
        Assert.Equal(ulong.MaxValue, d.UInt64("block.0.rd.bytes"));
        Assert.Null(d.UInt64("block.0.path"));
        Assert.Null(d.UInt64("x"));
        Assert.Equal(2UL, d.UInt64("y"));
        Assert.Null(d.UInt64("missing"));
        Assert.Equal("/x", d.Text("block.0.path"));
    }
}
