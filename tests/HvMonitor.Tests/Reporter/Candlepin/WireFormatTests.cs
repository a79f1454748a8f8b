using HvMonitor.Reporter.Candlepin;
using HvMonitor.Reporter.Sources;
using Xunit;
using HvMonitor.Reporter.Json;

namespace HvMonitor.Tests.Reporter.Candlepin;

/// <summary>The wire format: Python json.dumps layout, bodies, paths and query strings, hashes (docs/virt-who-compatibility.md, "Candlepin requests").</summary>
public sealed class WireFormatTests
{
    private static readonly Hypervisor Host = new("h-1", "kvm 1", [new Guest("b", 1, true, "libvirt"), new Guest("a", 5, false, "libvirt")],
        [new Fact("cpu.cpu_socket(s)", null), new Fact("hypervisor.version", null, 7002022)]);

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("quote\" back\\ tab\t nl\n", "\"quote\\\" back\\\\ tab\\t nl\\n\"")]
    [InlineData("žluťoučký", "\"\\u017elu\\u0165ou\\u010dk\\u00fd\"")]
    [InlineData("del\u007f ctl\u0001", "\"del\\u007f ctl\\u0001\"")]
    [InlineData("emoji 😀", "\"emoji \\ud83d\\ude00\"")]
    public void StringsAreEscapedLikePythonEnsureAscii(string value, string expected) =>
        Assert.Equal(expected, new PythonJsonWriter().String(value).ToString());

    [Fact]
    public void IndentedOutputMatchesJsonDumpsIndent4()
    {
        var w = new PythonJsonWriter(indent: 4);
        w.StartObject().Key("a").StartArray().EndArray().Key("b").StartObject().Key("c").Null().EndObject().Key("d").StartArray().Number(1).Number(2).EndArray().EndObject();
        Assert.Equal("{\n    \"a\": [],\n    \"b\": {\n        \"c\": null\n    },\n    \"d\": [\n        1,\n        2\n    ]\n}", w.ToString());
    }

    [Fact]
    public void AsyncBodySortsGuestsAndKeepsKeyOrder() => Assert.Equal(
        """{"hypervisors": [{"hypervisorId": {"hypervisorId": "h-1"}, "name": "kvm 1", "guestIds": [{"guestId": "a", "state": 5, "attributes": {"virtWhoType": "libvirt", "active": 0}}, {"guestId": "b", "state": 1, "attributes": {"virtWhoType": "libvirt", "active": 1}}], "facts": {"cpu.cpu_socket(s)": null, "hypervisor.version": 7002022}}]}""",
        CandlepinBodies.AsyncCheckIn([Host]));

    [Fact]
    public void AsyncBodyOmitsAnEmptyNameAndNoFacts() => Assert.Equal(
        """{"hypervisors": [{"hypervisorId": {"hypervisorId": null}, "guestIds": []}]}""",
        CandlepinBodies.AsyncCheckIn([new Hypervisor(null, "", [], [])]));

    [Fact]
    public void LegacyBodyKeepsCollectionOrder() => Assert.Equal(
        """{"h-1": [{"guestId": "b", "state": 1, "attributes": {"virtWhoType": "libvirt", "active": 1}}, {"guestId": "a", "state": 5, "attributes": {"virtWhoType": "libvirt", "active": 0}}]}""",
        CandlepinBodies.LegacyCheckIn([Host]));

    [Fact]
    public void PathsAndQueryStringsAreVirtWhos()
    {
        Assert.Equal("/hypervisors/ACME_Corp?env=&cloaked=False&reporter_id=host-1%2Fa+b", CandlepinPaths.AsyncCheckIn("ACME_Corp", "host-1/a b"));
        Assert.Equal("/hypervisors/ACME_Corp/heartbeat?reporter_id=r.1-_~", CandlepinPaths.Heartbeat("ACME_Corp", "r.1-_~"));
        Assert.Equal("/hypervisors?owner=My+Org&env=", CandlepinPaths.LegacyCheckIn("My Org"));
        Assert.Equal("/jobs/hypervisor_update_1?result_data=True", CandlepinPaths.Job("hypervisor_update_1"));
        Assert.Equal("%C3%A9", CandlepinPaths.QuotePlus("é"));
    }

    [Fact]
    public void TheHashIgnoresOrderButNotContent()
    {
        var now = DateTimeOffset.UtcNow;
        var a = new HostGuestReport("s", now, [Host]);
        var reordered = new HostGuestReport("s", now.AddHours(1), [Host with { Guests = [.. Host.Guests.Reverse()] }]);
        var renamed = new HostGuestReport("s", now, [Host with { Name = "kvm 2" }]);
        var upgraded = new HostGuestReport("s", now, [Host with { Facts = [new Fact("hypervisor.version", null, 7002023)] }]);
        Assert.Equal(CandlepinBodies.Hash(a), CandlepinBodies.Hash(reordered));
        Assert.NotEqual(CandlepinBodies.Hash(a), CandlepinBodies.Hash(renamed));
        Assert.NotEqual(CandlepinBodies.Hash(a), CandlepinBodies.Hash(upgraded));
        var local = new DomainListReport("l", now, "uuid-1", Host.Guests);
        Assert.NotEqual(CandlepinBodies.Hash(local), CandlepinBodies.Hash(local with { HypervisorId = "uuid-2" }));
        Assert.Equal(CandlepinBodies.Hash(local), CandlepinBodies.Hash(local with { Guests = [.. Host.Guests.Reverse()] }));
    }

    [Theory]
    [InlineData(null, null, null, "en-us")]
    [InlineData("C.UTF-8", null, null, "en-us")]
    [InlineData(null, null, "de_DE.UTF-8", "de-de")]
    [InlineData("", "fr_CA@euro", "de_DE", "fr-ca")]
    [InlineData("POSIX", null, "de_DE", "en-us")]
    public void AcceptLanguageComesFromTheLocale(string? lcAll, string? lcMessages, string? lang, string expected)
    {
        var env = new Dictionary<string, string?> { ["LC_ALL"] = lcAll, ["LC_MESSAGES"] = lcMessages, ["LANG"] = lang };
        Assert.Equal(expected, ClientIdentity.AcceptLanguageFrom(k => env[k]));
    }

    [Fact]
    public void TheIdentityNamesHvMonitorAndACorrelationIdOf32Hex()
    {
        var id = ClientIdentity.Create();
        Assert.Matches(@"^RHSM/1\.0 \(cmd=hv-monitor\) hv-monitor/\d+\.\d+\.\d+$", id.UserAgent);
        Assert.Matches("^[0-9a-f]{32}$", id.CorrelationId);
        Assert.NotEqual(id.CorrelationId, ClientIdentity.Create().CorrelationId);
    }

    [Theory]
    [InlineData("FINISHED", JobOutcome.Finished)]
    [InlineData("CANCELED", JobOutcome.Failed)]
    [InlineData("FAILED", JobOutcome.Failed)]
    [InlineData("ABORTED", JobOutcome.Failed)]
    [InlineData("SOMETHING_NEW", JobOutcome.Failed)]
    [InlineData("CREATED", JobOutcome.Processing)]
    [InlineData("WAITING", JobOutcome.Processing)]
    [InlineData("RUNNING", JobOutcome.Processing)]
    [InlineData("QUEUED", JobOutcome.Processing)]
    [InlineData("SCHEDULED", JobOutcome.Processing)]
    [InlineData("FAILED_WITH_RETRY", JobOutcome.Processing)]
    public void EveryJobStateIsFinishedFailedOrStillProcessing(string state, JobOutcome outcome) =>
        Assert.Equal(outcome, JobStatus.Parse("j", "{\"id\": \"j\", \"state\": \"" + state + "\", \"resultData\": {}}").Outcome);

    [Fact]
    public void JobResultDataProblemsAndFailedUpdatesAreKept()
    {
        Assert.StartsWith("Job status report without resultData", JobStatus.Parse("j", """{"id": "j", "state": "FINISHED"}""").ResultDataProblem);
        Assert.Equal(["host x: bad"], JobStatus.Parse("j", """{"id": "j", "state": "FINISHED", "resultData": {"failedUpdate": ["host x: bad"]}}""").FailedUpdates);
    }

    [Theory]
    [InlineData("example.com", "cp.example.com", true)]
    [InlineData(".example.com", "cp.example.com", true)]
    [InlineData("example.com", "example.com", true)]
    [InlineData("example.com", "badexample.com", false)]
    [InlineData("*", "anything", true)]
    [InlineData("a.org, 127.0.0.1", "127.0.0.1", true)]
    [InlineData("", "cp.example.com", false)]
    public void NoProxyMatchesHostsAndDomains(string noProxy, string host, bool bypass) =>
        Assert.Equal(bypass, ProxyTunnel.Bypasses(noProxy, host));

    [Fact]
    public void ErrorsAreWordedLikeVirtWho()
    {
        var gone = CandlepinException.FromResponse("GET", "/c/status/", System.Net.HttpStatusCode.Gone, "Gone", """{"displayMessage": "x"}""", null);
        Assert.Equal("Communication with subscription manager failed: consumer no longer exists", gone.Message);
        var json = CandlepinException.FromResponse("POST", "/c/hypervisors/o", System.Net.HttpStatusCode.BadRequest, "Bad Request", """{"errors": ["one", "two"]}""", null);
        Assert.Equal("Communication with subscription manager failed with code 400: HTTP error (400 - Bad Request): one two", json.Message);
        var html = CandlepinException.FromResponse("GET", "/c/status/", System.Net.HttpStatusCode.BadGateway, "Bad Gateway", "<html/>", null);
        Assert.Equal("Server error attempting a GET to /c/status/ returned status 502", html.Message);
        var throttled = CandlepinException.FromResponse("GET", "/c/jobs/1", (System.Net.HttpStatusCode)429, null, "", "abc");
        Assert.Equal((CandlepinFailure.Throttled, (int?)null), (throttled.Failure, throttled.RetryAfterSeconds));
    }

    [Fact]
    public void TheEnvironmentProxyIsUsedWhenNoneIsConfigured()
    {
        var env = new Dictionary<string, string?> { ["https_proxy"] = "http://u%40x:p%3Aw@proxy.example.com:8080" };
        var proxy = ProxyTunnel.FromEnvironment(k => env.GetValueOrDefault(k));
        Assert.Equal(("proxy.example.com", 8080, "u@x", "p:w"), (proxy!.Hostname, proxy.Port, proxy.User, proxy.Password!.Reveal()));
        env = new Dictionary<string, string?> { ["HTTP_PROXY"] = "10.0.0.1:3128" };
        var plain = ProxyTunnel.FromEnvironment(k => env.GetValueOrDefault(k))!;
        Assert.Equal(("10.0.0.1", 3128, (string?)null), (plain.Hostname, plain.Port, plain.User));
        Assert.Null(ProxyTunnel.FromEnvironment(_ => null));
    }
}
