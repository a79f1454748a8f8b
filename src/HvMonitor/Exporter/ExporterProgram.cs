using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HvMonitor.Collector.Cli;
using HvMonitor.Collector.Output.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HvMonitor.Exporter;

/// <summary>
/// <c>hv-monitor exporter</c>: a Prometheus exporter over Kestrel (the slim, NativeAOT-safe host): the landing
/// page at <c>/</c>, the metrics at the telemetry path, TLS and basic auth from <c>--web.config.file</c>.
/// Log lines go to stderr (journald under systemd); a password never does.
/// </summary>
public static class ExporterProgram
{
    /// <param name="hooks">the end-to-end tests' hook, read once by <see cref="Program"/>.</param>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Shared.TestHooks hooks)
    {
        ExporterOptions options;
        WebConfig web;
        try
        {
            options = ExporterOptions.Parse(args);
            options = options with { Settings = options.Settings with { TestHooks = hooks } };
            if (options.Help || options.Version)
            {
                stdout.WriteLine(options.Help ? ExporterOptions.Usage.TrimEnd() : "hv-monitor " + HelpText.Version);
                return Shared.ExitCodes.Ok;
            }
            web = options.WebConfigFile is { } file ? WebConfig.Load(file) : WebConfig.None;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"hv-monitor exporter: {e.Message} (try 'hv-monitor exporter --help')");
            return Shared.ExitCodes.Usage;
        }
        catch (WebConfigException e)
        {
            stderr.WriteLine($"hv-monitor exporter: --web.config.file {e.Message}");
            return Shared.ExitCodes.Usage;
        }

        var logLock = new Lock();
        void Log(string line)
        {
            lock (logLock)
                stderr.WriteLine("hv-monitor exporter: " + line);
        }

        X509Certificate2? certificate = null;
        if (web.Tls)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(web.CertFile!, web.KeyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                Log($"cannot load the TLS certificate {web.CertFile} and key {web.KeyFile}: {e.Message}");
                return Shared.ExitCodes.Failure;
            }
        }

        using var collection = new SharedCollection(options, Log);
        var auth = web.Users.Count > 0 ? new BcryptHash(web.Users) : null;
        var (host, port) = ExporterOptions.SplitListenAddress(options.ListenAddress);
        long scrapes = 0;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A scraper and a person with a browser: a few connections, small requests, nothing to upload.
            kestrel.Limits.MaxConcurrentConnections = 64;
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
            {
                listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1;
                if (certificate is not null)
                    listen.UseHttps(certificate);
            }
            if (host is null)
                kestrel.ListenAnyIP(port, Configure);
            else if (host == "localhost")
                kestrel.ListenLocalhost(port, Configure);
            else
                kestrel.Listen(IPAddress.Parse(host), port, Configure);
        });
        var app = builder.Build();

        if (auth is not null)
        {
            app.Use(async (context, next) =>
            {
                if (BasicAuth.Authorized(context.Request.Headers.Authorization, auth))
                {
                    await next(context);
                    return;
                }
                // Neither the user name nor the password is logged: a password typed into the wrong field is still a password.
                Log($"refused a request for {Printable(context.Request.Path)} from {context.Connection.RemoteIpAddress}: no or wrong basic-auth credentials");
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"hv-monitor\", charset=\"UTF-8\"";
                await context.Response.WriteAsync("Unauthorized\n");
            });
        }

        var landing = Encoding.UTF8.GetBytes(LandingPage(options.TelemetryPath));
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            if (path == options.TelemetryPath)
            {
                Interlocked.Increment(ref scrapes);
                var scrape = await collection.Get();
                var body = Render(scrape, Interlocked.Read(ref scrapes), collection);
                context.Response.ContentType = ExpositionWriter.ContentType;
                await context.Response.Body.WriteAsync(body);
                return;
            }
            if (path == "/")
            {
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.Body.WriteAsync(landing);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        });

        try
        {
            app.Start();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            Log($"cannot listen on {options.ListenAddress}: {e.Message}");
            return Shared.ExitCodes.Failure;
        }
        Log($"listening on {options.ListenAddress} ({(certificate is null ? "http" : "https")}{(auth is null ? "" : ", basic auth")}), metrics at {options.TelemetryPath}");
        app.WaitForShutdown();
        Log("stopped");
        return Shared.ExitCodes.Ok;
    }

    /// <summary>The collection's families, then the exporter's own.</summary>
    internal static byte[] Render(Scrape scrape, long scrapes, SharedCollection collection)
    {
        var w = new ExpositionWriter();
        PrometheusMetrics.Write(w, scrape.Collection, HelpText.Version);
        const string p = PrometheusMetrics.Prefix;
        w.Family(p + "libvirt_version_info", MetricType.Gauge, "Always 1; the libvirt daemon's version, the hypervisor's type and version (QEMU's) as labels.");
        if (scrape.Versions is { } v)
            w.Sample(p + "libvirt_version_info", [("libvirt", v.Libvirt), ("hypervisor", v.HypervisorType), ("hypervisor_version", v.Hypervisor)], 1);
        w.Family(p + "exporter_scrapes_total", MetricType.Counter, "Scrapes of the telemetry path since the exporter started.");
        w.Sample(p + "exporter_scrapes_total", scrapes);
        w.Family(p + "exporter_collections_total", MetricType.Counter, "Collections since the exporter started (overlapping scrapes share one).");
        w.Sample(p + "exporter_collections_total", collection.Collections);
        w.Family(p + "exporter_libvirt_connects_total", MetricType.Counter, "Times the exporter opened its libvirt connection (again after libvirtd restarted).");
        w.Sample(p + "exporter_libvirt_connects_total", collection.Connects);
        return w.ToUtf8();
    }

    private static string LandingPage(string metricsPath)
    {
        var path = System.Net.WebUtility.HtmlEncode(metricsPath);
        return $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>hv-monitor exporter</title></head>
            <body><h1>hv-monitor exporter {HelpText.Version}</h1>
            <p>Virtual machines of this host as Prometheus metrics: <a href="{path}">{path}</a></p>
            </body></html>

            """;
    }

    /// <summary>A request path as it may appear in a log line: printable ASCII only, at most 100 characters.</summary>
    private static string Printable(PathString path)
    {
        var s = path.Value ?? "";
        var sb = new StringBuilder();
        foreach (char c in s.Length > 100 ? s[..100] : s)
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        return sb.ToString();
    }
}
