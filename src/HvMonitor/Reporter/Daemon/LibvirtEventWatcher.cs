using System.Runtime.InteropServices;
using HvMonitor.Reporter.Logging;
using HvMonitor.Reporter.Sending;
using HvMonitor.Shared.Libvirt;

namespace HvMonitor.Reporter.Daemon;

/// <summary>
/// Watches one libvirt URI for domain lifecycle events (defined, undefined, started, suspended, resumed,
/// stopped, shutdown, pmsuspended, crashed) on its own read-only connection, and calls back on each. The
/// connection has keep-alive (5 s, 3 missed) and a close callback; when libvirtd goes away the watcher
/// reconnects every few seconds and, once back, calls back too (events may have been missed meanwhile).
/// One process-wide thread runs libvirt's default event loop.
/// </summary>
public sealed unsafe class LibvirtEventWatcher : IDisposable
{
    private readonly LibvirtEventSource _source;
    private string _uri;
    private readonly Action _onEvent;
    private readonly IReporterLog _log;
    private readonly ReporterTiming _timing;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private GCHandle _self;
    private LibvirtConnection? _conn;
    private int _callbackId = -1;
    private volatile bool _closed;

    private LibvirtEventWatcher(LibvirtEventSource source, Action onEvent, IReporterLog log, ReporterTiming timing)
    {
        _source = source;
        _uri = source.Uri ?? "";
        _onEvent = onEvent;
        _log = log;
        _timing = timing;
        _self = GCHandle.Alloc(this);
        _thread = new Thread(Watch) { IsBackground = true, Name = "libvirt-events " + source.Uri };
        _thread.Start();
    }

    /// <summary>The daemon's hook: a watcher for every section that has an event URI.</summary>
    public static Func<ReportSection, Action, IDisposable?> Factory(IReporterLog log, ReporterTiming timing) =>
        (section, onEvent) => section.Events is { } source ? Start(source, onEvent, log, timing) : null;

    public static LibvirtEventWatcher? Start(LibvirtEventSource source, Action onEvent, IReporterLog log, ReporterTiming timing)
    {
        try
        {
            LibvirtConnection.StartDefaultEventLoop();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or LibvirtException)
        {
            log.Warning($"libvirt events are not available ({e.Message}); changes are seen at the next interval");
            return null;
        }
        return new LibvirtEventWatcher(source, onEvent, log, timing);
    }

    private void Watch()
    {
        // After a failed connect or a lost connection, events may have been missed: the next successful
        // connect calls back so that the source collects again.
        bool missedEvents = false;
        while (!_stop.IsCancellationRequested)
        {
            if (_conn is null)
            {
                if (!Connect(announce: missedEvents))
                {
                    missedEvents = true;
                    _stop.Token.WaitHandle.WaitOne(_timing.ReconnectDelay);
                    continue;
                }
                missedEvents = false;
            }
            _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            if (_stop.IsCancellationRequested)
                break;
            if (_closed || !_conn!.IsAlive)
            {
                _log.Warning($"The libvirt connection to '{_uri}' was lost; reconnecting");
                Disconnect();
                missedEvents = true;
            }
        }
        Disconnect();
    }

    /// <summary>Opens the read-only connection (with the section's credentials) and registers for events;
    /// after a reconnect it also calls back.</summary>
    private bool Connect(bool announce)
    {
        LibvirtConnection conn;
        try
        {
            conn = _source.Password is { } password
                ? LibvirtConnection.OpenReadOnly(_source.Uri, _source.Username, password.Reveal())
                : LibvirtConnection.OpenReadOnly(_source.Uri);
        }
        catch (LibvirtException e)
        {
            _log.Debug($"Cannot connect to libvirt for events: {e.Message}");
            return false;
        }
        _closed = false;
        _uri = conn.Uri; // for a local section (no URI), the one libvirt chose
        var opaque = GCHandle.ToIntPtr(_self);
        try
        {
            _callbackId = conn.RegisterLifecycleEvents(&OnLifecycle, opaque);
        }
        catch (LibvirtException e)
        {
            _log.Warning(e.Message);
            conn.Dispose();
            return false;
        }
        conn.SetKeepAlive(5, 3);
        conn.RegisterCloseCallback(&OnClose, opaque);
        _conn = conn;
        _log.Debug($"Listening to libvirt lifecycle events at '{_uri}'");
        if (announce)
        {
            _log.Info($"Reconnected to libvirt at '{_uri}'");
            _onEvent();
        }
        return true;
    }

    private void Disconnect()
    {
        if (_conn is null)
            return;
        if (_callbackId >= 0)
            _conn.DeregisterEvents(_callbackId);
        _conn.UnregisterCloseCallback(&OnClose);
        _conn.Dispose();
        _conn = null;
        _callbackId = -1;
    }

    [UnmanagedCallersOnly]
    private static int OnLifecycle(IntPtr conn, IntPtr domain, int eventType, int detail, IntPtr opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is LibvirtEventWatcher w && !w._stop.IsCancellationRequested)
        {
            try
            {
                w._log.Debug($"libvirt lifecycle event {eventType}/{detail} at '{w._uri}'");
                w._onEvent();
            }
            catch (Exception)
            {
                // Never let an exception cross into libvirt's C code.
            }
        }
        return 0;
    }

    [UnmanagedCallersOnly]
    private static void OnClose(IntPtr conn, int reason, IntPtr opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is LibvirtEventWatcher w)
            w._closed = true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join(TimeSpan.FromSeconds(5));
        // _self is deliberately never freed: a callback already queued in libvirt's event loop may still
        // arrive after deregistration, and must find a live handle (one small handle per SIGHUP).
    }
}
