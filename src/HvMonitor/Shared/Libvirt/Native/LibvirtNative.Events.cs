using System.Runtime.InteropServices;

namespace HvMonitor.Shared.Libvirt.Native;

/// <summary>
/// libvirt's event API (libvirt-event.h, libvirt-domain.h, libvirt-host.h) for the reporter's daemon:
/// the default event loop, domain lifecycle events, keep-alive and the close callback.
/// </summary>
internal static unsafe partial class LibvirtNative
{
    // virDomainEventID
    public const int DomainEventIdLifecycle = 0;

    /// <summary>Must run before the connections whose events we want are opened; once per process.</summary>
    [LibraryImport(Lib)]
    public static partial int virEventRegisterDefaultImpl();

    /// <summary>One iteration of the default event loop (blocks until something happens).</summary>
    [LibraryImport(Lib)]
    public static partial int virEventRunDefaultImpl();

    /// <summary>cb is a virConnectDomainEventGenericCallback; for LIFECYCLE it is really
    /// int (*)(virConnectPtr, virDomainPtr, int event, int detail, void *opaque).</summary>
    [LibraryImport(Lib)]
    public static partial int virConnectDomainEventRegisterAny(IntPtr conn, IntPtr domain, int eventId,
        delegate* unmanaged<IntPtr, IntPtr, int, int, IntPtr, int> callback, IntPtr opaque, IntPtr freeCallback);

    [LibraryImport(Lib)]
    public static partial int virConnectDomainEventDeregisterAny(IntPtr conn, int callbackId);

    [LibraryImport(Lib)]
    public static partial int virConnectSetKeepAlive(IntPtr conn, int interval, uint count);

    [LibraryImport(Lib)]
    public static partial int virConnectIsAlive(IntPtr conn);

    [LibraryImport(Lib)]
    public static partial int virConnectRegisterCloseCallback(IntPtr conn, delegate* unmanaged<IntPtr, int, IntPtr, void> callback, IntPtr opaque, IntPtr freeCallback);

    [LibraryImport(Lib)]
    public static partial int virConnectUnregisterCloseCallback(IntPtr conn, delegate* unmanaged<IntPtr, int, IntPtr, void> callback);
}
