using static HvMonitor.Shared.Libvirt.Native.LibvirtNative;

namespace HvMonitor.Shared.Libvirt;

// The reporter daemon's calls: domain lifecycle events, keep-alive and the close callback on this
// connection (the default event loop must be registered before it was opened; see LibvirtEventLoop).
public sealed unsafe partial class LibvirtConnection
{
    /// <summary>virConnectDomainEventRegisterAny for VIR_DOMAIN_EVENT_ID_LIFECYCLE on every domain; returns the callback id.</summary>
    public int RegisterLifecycleEvents(delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, int> callback, IntPtr opaque)
    {
        int id = virConnectDomainEventRegisterAny(_conn, IntPtr.Zero, DomainEventIdLifecycle, callback, opaque, IntPtr.Zero);
        if (id < 0)
            throw new LibvirtException($"cannot register for domain events at '{DisplayUri}': {LastError()}");
        return id;
    }

    public void DeregisterEvents(int callbackId) => virConnectDomainEventDeregisterAny(_conn, callbackId);

    /// <summary>Keep-alive: the connection counts as dead after <paramref name="count"/> unanswered probes every <paramref name="intervalSeconds"/>.</summary>
    public void SetKeepAlive(int intervalSeconds, uint count) => virConnectSetKeepAlive(_conn, intervalSeconds, count);

    public bool IsAlive => virConnectIsAlive(_conn) == 1;

    public void RegisterCloseCallback(delegate* unmanaged<IntPtr, int, IntPtr, void> callback, IntPtr opaque) =>
        virConnectRegisterCloseCallback(_conn, callback, opaque, IntPtr.Zero);

    public void UnregisterCloseCallback(delegate* unmanaged<IntPtr, int, IntPtr, void> callback) =>
        virConnectUnregisterCloseCallback(_conn, callback);

    /// <summary>The process-wide default event loop, needed for events and keep-alive; idempotent.</summary>
    public static void StartDefaultEventLoop()
    {
        lock (EventLoopGate)
        {
            if (_eventLoopStarted)
                return;
            SilenceErrorPrinting();
            if (virEventRegisterDefaultImpl() < 0)
                throw new LibvirtException("cannot start the libvirt event loop: " + LastError());
            new Thread(() =>
            {
                while (true)
                    virEventRunDefaultImpl();
            }) { IsBackground = true, Name = "libvirt-event-loop" }.Start();
            _eventLoopStarted = true;
        }
    }

    private static readonly Lock EventLoopGate = new();
    private static bool _eventLoopStarted;
}
