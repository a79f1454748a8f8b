using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HvMonitor.Collector.Facts;
using HvMonitor.Collector.Model;
using HvMonitor.Collector.Output;
using HvMonitor.Shared.Text;
using Xunit;

namespace HvMonitor.Tests.Collector.Output;

/// <summary>
/// The output's one string encoding (docs/fields.md, "Encoding"): no backslash anywhere except in the
/// <c>\u00XX</c> escapes of <c>"</c>, <c>\</c> and control characters, raw UTF-8 otherwise, for every string
/// of the document, so that PHP's stripslashes() in LibreNMS can never break the JSON.
/// </summary>
public partial class LibreNmsEncodingTests
{
    public static TheoryData<string> HostileTexts => new()
    {
        "lab \"q\" \\b",
        "a\\\"b",
        "ends with backslash\\",
        "\"",
        "a\\n literally",
        "tab\there\r\nnewline",
        "nul\0and\u0001\u001f",
        "del\u007f",
        "žluťoučký kůň",
        "日本語 🚀 emoji",
        "a+b<c>&d'e=f/g",
        "already \\u0022 escaped-looking",
    };

    /// <summary>Every string the document can carry, set to <paramref name="text"/>: VM, disk and interface strings and errorString.</summary>
    private static Envelope EveryStringIs(string text)
    {
        var facts = new VmFacts
        {
            Name = text,
            State = VmState.Running,
            OsType = text,
            Ip = text,
            Console = text,
            ConsoleType = text,
            Disks = [new DiskFacts(text, "/images/" + text) { Alloc = 1 }],
            Interfaces = [new InterfaceFacts { If = text, Mac = text, Parent = text }],
        };
        return new Envelope { ErrorString = text, Data = HvDataBuilder.Build("libvirt", [facts]) };
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void EveryBackslashStartsAU00EscapeOfAQuoteBackslashOrControlCharacter(string text)
    {
        foreach (var pretty in new[] { false, true })
        {
            var bytes = LibreNmsSerializer.ToUtf8Json(EveryStringIs(text), pretty);
            AssertOnlyU00Escapes(bytes);
            // Exact for any JSON reader (jq, Python, PHP without stripslashes).
            using var doc = JsonDocument.Parse(bytes);
            AssertEveryStringIs(doc.RootElement, text);
        }
    }

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void StripslashesLeavesValidJsonWithEveryVm(string text)
    {
        // What LibreNMS's plain form (all versions) and 22.11-24.3's compressed form hand to json_decode.
        var stripped = StripSlashes(LibreNmsSerializer.ToUtf8Json(EveryStringIs(text)));
        using var doc = JsonDocument.Parse(stripped);
        var vms = doc.RootElement.GetProperty("data").GetProperty("VMs");
        Assert.Single(vms.EnumerateObject());
        Assert.Equal(0, doc.RootElement.GetProperty("error").GetInt32());
    }

    [Fact]
    public void NonAsciiIsRawUtf8WithoutBom()
    {
        var bytes = LibreNmsSerializer.ToUtf8Json(EveryStringIs("žluť 日本 🚀"));
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble));
        Assert.True(System.Text.Unicode.Utf8.IsValid(bytes));
        Assert.Contains("\"žluť 日本 🚀\"", Encoding.UTF8.GetString(bytes));
        Assert.DoesNotContain((byte)'\\', bytes);
    }

    [Fact]
    public void InvalidUtf8FromOutsideBecomesReplacementCharactersAndValidOutput()
    {
        // A name as libvirt or CBSD could hand it over: Latin-1 bytes and a truncated UTF-8 sequence.
        byte[] raw = [(byte)'v', (byte)'m', 0xE9, (byte)'-', 0xC5, (byte)'"', (byte)'\\'];
        var name = Utf8Text.Decode(raw, out bool replaced);
        Assert.True(replaced);
        Assert.Equal("vm\uFFFD-\uFFFD\"\\", name);
        var bytes = LibreNmsSerializer.ToUtf8Json(EveryStringIs(name));
        Assert.True(System.Text.Unicode.Utf8.IsValid(bytes));
        AssertOnlyU00Escapes(bytes);
        Assert.Contains("vm\uFFFD-\uFFFD\\u0022\\u005c", Encoding.UTF8.GetString(bytes));

        Assert.Equal("fine", Utf8Text.Decode("fine"u8, out bool clean));
        Assert.False(clean);
    }

    [Fact]
    public void LoneSurrogatesNeverReachTheOutputAsInvalidUtf8()
    {
        var bytes = LibreNmsSerializer.ToUtf8Json(EveryStringIs("a\uD800b"));
        Assert.True(System.Text.Unicode.Utf8.IsValid(bytes));
        AssertOnlyU00Escapes(bytes);
    }

    [Fact]
    public void TheEscapesAreTheOnesTheReferenceNames()
    {
        var json = Encoding.UTF8.GetString(LibreNmsSerializer.ToUtf8Json(new Envelope { ErrorString = "\"\\\n\t\u001f" }));
        Assert.Contains("\"errorString\":\"\\u0022\\u005c\\u000a\\u0009\\u001f\"", json);
    }

    private static void AssertOnlyU00Escapes(byte[] json)
    {
        var text = Encoding.UTF8.GetString(json);
        int backslashes = text.Count(c => c == '\\');
        var escapes = U00Escape().Matches(text);
        Assert.Equal(backslashes, escapes.Count);
        foreach (Match m in escapes)
        {
            int c = Convert.ToInt32(m.Groups[1].Value, 16);
            Assert.True(c is < 0x20 or '"' or '\\', $"needless escape {m.Value}");
        }
    }

    [GeneratedRegex(@"\\u00([0-9a-f]{2})")]
    private static partial Regex U00Escape();

    private static void AssertEveryStringIs(JsonElement root, string text)
    {
        Assert.Equal(text, root.GetProperty("errorString").GetString());
        var vm = root.GetProperty("data").GetProperty("VMs").GetProperty(text);
        foreach (var key in new[] { "os_type", "ip", "console", "console_type" })
            Assert.Equal(text, vm.GetProperty(key).GetString());
        Assert.True(vm.GetProperty("disks").TryGetProperty(text, out _));
        var nic = vm.GetProperty("ifs").GetProperty("nic0");
        foreach (var key in new[] { "if", "mac", "parent" })
            Assert.Equal(text, nic.GetProperty(key).GetString());
    }

    /// <summary>PHP's stripslashes(): drops each backslash and keeps the next byte ("\0" becomes NUL).</summary>
    private static byte[] StripSlashes(byte[] s)
    {
        var result = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != (byte)'\\')
                result.Add(s[i]);
            else if (++i < s.Length)
                result.Add(s[i] == (byte)'0' ? (byte)0 : s[i]);
        }
        return [.. result];
    }
}
