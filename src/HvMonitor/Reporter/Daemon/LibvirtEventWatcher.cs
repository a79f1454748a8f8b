using System.Runtime.InteropServices;
using HvMonitor.Reporter.Logging;
using HvMonitor.Shared.Libvirt;
using static HvMonitor.Shared.Libvirt.Native.LibvirtNative;

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
    private static readonly Lock LoopGate = new();
    private static bool _loopStarted;

    private readonly string _uri;
    private readonly Action _onEvent;
    private readonly IReporterLog _log;
    private readonly ReporterTiming _timing;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private GCHandle _self;
    private IntPtr _conn;
    private int _callbackId = -1;
    private volatile bool _closed;

    private LibvirtEventWatcher(string uri, Action onEvent, IReporterLog log, ReporterTiming timing)
    {
        _uri = uri;
        _onEvent = onEvent;
        _log = log;
        _timing = timing;
        _self = GCHandle.Alloc(this);
        _thread = new Thread(Watch) { IsBackground = true, Name = "libvirt-events " + uri };
        _thread.Start();
    }

    /// <summary>The daemon's hook: a watcher for every section that has an event URI.</summary>
    public static Func<ReportSection, Action, IDisposable?> Factory(IReporterLog log, ReporterTiming timing) =>
        (section, onEvent) => section.EventUri is { } uri ? Start(uri, onEvent, log, timing) : null;

    public static LibvirtEventWatcher? Start(string uri, Action onEvent, IReporterLog log, ReporterTiming timing)
    {
        try
        {
            EnsureEventLoop();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            log.Warning($"libvirt events are not available ({e.Message}); changes are seen at the next interval");
            return null;
        }
        return new LibvirtEventWatcher(uri, onEvent, log, timing);
    }

    private static void EnsureEventLoop()
    {
        lock (LoopGate)
        {
            if (_loopStarted)
                return;
            if (virEventRegisterDefaultImpl() < 0)
                throw new LibvirtException("cannot start the libvirt event loop: " + LibvirtConnection.LastError());
            new Thread(() =>
            {
                while (true)
                    virEventRunDefaultImpl();
            }) { IsBackground = true, Name = "libvirt-event-loop" }.Start();
            _loopStarted = true;
        }
    }

    private void Watch()
    {
        bool first = true;
        while (!_stop.IsCancellationRequested)
        {
            if (_conn == IntPtr.Zero && !Connect(announce: !first))
            {
                _stop.Token.WaitHandle.WaitOne(_timing.ReconnectDelay);
                continue;
            }
            first = false;
            _stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
            if (_stop.IsCancellationRequested)
                break;
            if (_closed || virConnectIsAlive(_conn) != 1)
            {
                _log.Warning($"The libvirt connection to '{_uri}' was lost; reconnecting");
                Disconnect();
            }
        }
        Disconnect();
    }

    /// <summary>Opens the read-only connection and registers for events; after a reconnect it also calls back.</summary>
    private bool Connect(bool announce)
    {
        var conn = virConnectOpenReadOnly(_uri);
        if (conn == IntPtr.Zero)
        {
            _log.Debug($"Cannot connect to libvirt at '{_uri}' for events: {LibvirtConnection.LastError()}");
            return false;
        }
        _closed = false;
        var opaque = GCHandle.ToIntPtr(_self);
        int id = virConnectDomainEventRegisterAny(conn, IntPtr.Zero, DomainEventIdLifecycle, &OnLifecycle, opaque, IntPtr.Zero);
        if (id < 0)
        {
            _log.Warning($"Cannot register for libvirt events at '{_uri}': {LibvirtConnection.LastError()}");
            virConnectClose(conn);
            return false;
        }
        virConnectSetKeepAlive(conn, 5, 3);
        virConnectRegisterCloseCallback(conn, &OnClose, opaque, IntPtr.Zero);
        _conn = conn;
        _callbackId = id;
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
        if (_conn == IntPtr.Zero)
            return;
        if (_callbackId >= 0)
            virConnectDomainEventDeregisterAny(_conn, _callbackId);
        virConnectUnregisterCloseCallback(_conn, &OnClose);
        virConnectClose(_conn);
        _conn = IntPtr.Zero;
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
