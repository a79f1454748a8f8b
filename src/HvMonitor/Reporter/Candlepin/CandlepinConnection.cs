using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace HvMonitor.Reporter.Candlepin;

/// <summary>One answer: the status was 2xx (other statuses throw) and this is the body.</summary>
public sealed record CandlepinResponse(int StatusCode, string Body);

/// <summary>
/// One connection object, as rhsm's: made fresh for each logical call (heartbeat, check-in, job check,
/// consumer update), HTTP/1.1 keep-alive inside it. It carries the auth (Basic or the consumer
/// certificate), TLS (D1), the proxy tunnel and the exact headers of docs/virt-who-compatibility.md, "Connection and headers".
/// </summary>
public sealed class CandlepinConnection : IDisposable
{
    private readonly CandlepinSettings _settings;
    private readonly ClientIdentity _identity;
    private readonly HttpClient _http;
    private readonly TlsTrust _trust;
    private readonly string? _basicAuth;
    private int _requestCount;

    public CandlepinConnection(CandlepinSettings settings, ClientIdentity identity)
    {
        _settings = settings;
        _identity = identity;
        _trust = new TlsTrust(settings.CaCertDir, settings.Insecure);
        if (!string.IsNullOrEmpty(settings.Username) && settings.Password is { IsEmpty: false } password)
            _basicAuth = Convert.ToBase64String(Encoding.UTF8.GetBytes(settings.Username + ":" + password.Reveal()));

        var handler = new SocketsHttpHandler
        {
            UseProxy = false, // the tunnel is ours (ConnectCallback): exact CONNECT headers, our no_proxy rules
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = settings.ServerTimeout,
            ConnectCallback = (context, token) => ProxyTunnel.ConnectAsync(settings, identity.UserAgent, context.DnsEndPoint, token),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = _trust.Validate,
                EnabledSslProtocols = SslProtocols.None,
            },
        };
        if (_basicAuth is null)
            handler.SslOptions.ClientCertificates = [ConsumerCertificate.Load(settings.ConsumerCertDir)];
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = settings.ServerTimeout };
    }

    public string BaseUrl => $"https://{HostForUrl(_settings.Hostname)}:{_settings.Port}{_settings.Prefix}";

    /// <summary>Sends one request; a non-2xx status or a transport failure becomes a <see cref="CandlepinException"/>.</summary>
    /// <param name="contentType">application/json on every request, text/plain for the async check-in.</param>
    public async Task<CandlepinResponse> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellation, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, BaseUrl + path) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        // Bodiless requests still carry Content-type and Content-Length: 0, as rhsm's do.
        request.Content = new ByteArrayContent(body is null ? [] : Encoding.UTF8.GetBytes(body));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var h = request.Headers;
        h.TryAddWithoutValidation("Accept", "application/json");
        h.TryAddWithoutValidation("x-subscription-manager-version", _identity.SubscriptionManagerVersion);
        h.TryAddWithoutValidation("X-Correlation-ID", _identity.CorrelationId);
        if (_basicAuth is not null)
            h.TryAddWithoutValidation("Authorization", "Basic " + _basicAuth);
        h.TryAddWithoutValidation("Accept-Language", _identity.AcceptLanguage);
        h.TryAddWithoutValidation("User-Agent", _identity.UserAgent);
        if (Interlocked.Increment(ref _requestCount) > 1)
            h.TryAddWithoutValidation("Connection", "keep-alive");

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new CandlepinException(CandlepinFailure.Timeout,
                $"Timeout: {method} {path} to {_settings.Hostname}:{_settings.Port} got no answer within {_settings.ServerTimeout.TotalSeconds:0} s", inner: e);
        }
        catch (HttpRequestException e)
        {
            throw Translate(e);
        }
        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw Translate(e);
            }
            int code = (int)response.StatusCode;
            if (code is >= 200 and < 300 or 304)
                return new CandlepinResponse(code, text);
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
            throw CandlepinException.FromResponse(method.Method, _settings.Prefix + path, response.StatusCode, response.ReasonPhrase, text, retryAfter);
        }
    }

    private CandlepinException Translate(HttpRequestException e)
    {
        var where = $"{_settings.Hostname}:{_settings.Port}";
        if (e.InnerException is CandlepinException ours)
            return ours;
        if (e.HttpRequestError == HttpRequestError.SecureConnectionError || e.InnerException is AuthenticationException)
        {
            var why = _trust.LastFailure ?? e.InnerException?.Message ?? e.Message;
            return new CandlepinException(CandlepinFailure.Tls,
                $"TLS connection to {where} failed: {why} (trusted: {Path.Join(_settings.CaCertDir, "*.pem")} and the system store; rhsm_insecure=1 skips verification)", inner: e);
        }
        if (e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse
            || e.InnerException is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset } })
            return new CandlepinException(CandlepinFailure.Interrupted, $"Communication with subscription manager interrupted ({where})", inner: e);
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        return socket is not null
            ? CandlepinException.ConnectionFailed(where, socket, e)
            : new CandlepinException(CandlepinFailure.Connection, $"Unable to connect to {where}: {e.Message}", inner: e);
    }

    private static string HostForUrl(string host) => host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;

    public void Dispose() => _http.Dispose();
}
