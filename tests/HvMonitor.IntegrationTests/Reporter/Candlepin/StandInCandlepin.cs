using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace HvMonitor.IntegrationTests.Reporter.Candlepin;

/// <summary>One request as the stand-in saw it.</summary>
public sealed record RecordedRequest(
    DateTimeOffset At, string Method, string Target, string PathAfterPrefix, IReadOnlyDictionary<string, string> Headers,
    string Body, string? ClientCertificateSubject, int Status)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;
}

/// <summary>What the stand-in does instead of answering normally.</summary>
public abstract record Fault
{
    public sealed record Status(int Code, string? Body = null, string? RetryAfter = null) : Fault;
    public sealed record Hang : Fault;
    public sealed record Reset : Fault;
    /// <summary>Answers normally, but only after the delay (a slow server; a request in flight).</summary>
    public sealed record Delay(TimeSpan Time) : Fault;
}

/// <summary>
/// A stand-in Candlepin on 127.0.0.1 behaving like the real REST API as docs/virt-who-compatibility.md, "Candlepin requests" describes it:
/// HTTPS with a test CA, Basic or client-certificate auth, exact path/query/header/body checks (each
/// deviation is recorded in <see cref="Violations"/>), jobs that walk through <see cref="JobStates"/>, and
/// injectable faults (429 with or without Retry-After, 401, 410, 500, hang, reset). Stopping it makes the
/// port refuse; <see cref="Start"/> on the same port brings it back. Every request is recorded.
/// </summary>
public sealed partial class StandInCandlepin : IAsyncDisposable
{
    private readonly TestPki _pki;
    private WebApplication? _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentDictionary<string, int> _jobPolls = new();
    private readonly Lock _faultGate = new();
    private readonly List<(Func<string, string, bool> Match, Fault Fault, int Remaining)> _faults = [];
    private int _jobCounter;

    public StandInCandlepin(TestPki pki, string prefix = "/candlepin")
    {
        _pki = pki;
        Prefix = prefix;
        Port = FreePort();
    }

    public string Prefix { get; }
    public int Port { get; }
    public string Owner { get; set; } = "ACME_Corp";
    /// <summary>Basic credentials the server accepts; null: only the consumer certificate is accepted.</summary>
    public (string User, string Password)? BasicAuth { get; set; } = ("virt-who-user", "s3cr3t pass:é");
    public List<string> Capabilities { get; set; } = ["hypervisors_async", "hypervisors_heartbeat", "guest_limit"];
    /// <summary>States a job shows on successive polls; the last repeats. A new job starts CREATED.</summary>
    public List<string> JobStates { get; set; } = ["RUNNING", "FINISHED"];
    /// <summary>Whether GET / lists the guestids resource (local updates then send guest objects).</summary>
    public bool HasGuestIdsResource { get; set; } = true;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];
    public IReadOnlyList<string> Violations => [.. _violations];

    /// <summary>The logical requests (ping and capability lookups left out).</summary>
    public IReadOnlyList<RecordedRequest> Calls => Requests.Where(r => r.PathAfterPrefix is not ("/status/" or "/status" or "/")).ToList();

    public void Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
            {
                ServerCertificate = _pki.Server,
                ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                // Checked per request against the test CA, so that a wrong certificate is a recorded 401.
                ClientCertificateValidation = (_, _, _) => true,
            }));
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        _app.StartAsync().GetAwaiter().GetResult();
    }

    public async Task StopAsync()
    {
        if (_app is null)
            return;
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
            await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
        _app = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>The next <paramref name="count"/> requests whose method and path (after the prefix) match get the fault.</summary>
    public void Inject(string method, string pathStart, Fault fault, int count = 1)
    {
        lock (_faultGate)
            _faults.Add(((m, p) => m == method && p.StartsWith(pathStart, StringComparison.Ordinal), fault, count));
    }

    public void ClearFaults()
    {
        lock (_faultGate)
            _faults.Clear();
    }

    /// <summary>Waits until a recorded request satisfies the condition; fails the test after the timeout.</summary>
    public RecordedRequest WaitFor(Func<RecordedRequest, bool> condition, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var hit = _requests.FirstOrDefault(condition);
            if (hit is not null)
                return hit;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"the stand-in Candlepin did not see {what} within {timeout.TotalSeconds} s; it saw:\n"
                                   + string.Join("\n", Requests.Select(r => $"{r.At:HH:mm:ss.fff} {r.Method} {r.Target} -> {r.Status}")));
    }

    private Fault? TakeFault(string method, string path)
    {
        lock (_faultGate)
        {
            for (int i = 0; i < _faults.Count; i++)
            {
                var (match, fault, remaining) = _faults[i];
                if (!match(method, path))
                    continue;
                if (remaining <= 1)
                    _faults.RemoveAt(i);
                else
                    _faults[i] = (match, fault, remaining - 1);
                return fault;
            }
        }
        return null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var clientCert = await context.Connection.GetClientCertificateAsync();
        var path = target.StartsWith(Prefix, StringComparison.Ordinal) ? target[Prefix.Length..] : target;
        int status;
        var fault = TakeFault(request.Method, path);
        switch (fault)
        {
            case Fault.Hang:
                Record(target, path, request.Method, headers, body, clientCert, 0);
                try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
                return;
            case Fault.Reset:
                Record(target, path, request.Method, headers, body, clientCert, 0);
                context.Abort();
                return;
            case Fault.Delay d:
                await Task.Delay(d.Time);
                (status, var slowAnswer) = Route(request.Method, target, path, headers, body, clientCert);
                await Answer(context, status, slowAnswer);
                break;
            case Fault.Status s:
                status = s.Code;
                if (s.RetryAfter is not null)
                    context.Response.Headers["Retry-After"] = s.RetryAfter;
                await Answer(context, status, s.Body);
                break;
            default:
                (status, var answer) = Route(request.Method, target, path, headers, body, clientCert);
                await Answer(context, status, answer);
                break;
        }
        Record(target, path, request.Method, headers, body, clientCert, status);
    }

    private static async Task Answer(HttpContext context, int status, string? body)
    {
        context.Response.StatusCode = status;
        if (body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        }
    }

    private void Record(string target, string path, string method, Dictionary<string, string> headers, string body, X509Certificate2? cert, int status) =>
        _requests.Enqueue(new RecordedRequest(DateTimeOffset.UtcNow, method, target, PathOnly(path), headers, body, cert?.Subject, status));

    private static string PathOnly(string path) => path.Split('?')[0];

    private void Violation(string text) => _violations.Enqueue(text);

    private string NextJobId() => "hypervisor_update_" + Interlocked.Increment(ref _jobCounter).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
