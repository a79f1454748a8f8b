using System.Runtime.InteropServices;

namespace HvMonitor.Shared.Libvirt.Native;

/// <summary>
/// The slice of libvirt's C API we use (libvirt.so.0, declared in libvirt-host.h / libvirt-domain.h).
/// Everything here works on a read-only connection.
/// </summary>
internal static unsafe partial class LibvirtNative
{
    private const string Lib = "libvirt.so.0";

    /// <summary>Names another libvirt client library to load instead of libvirt.so.0 (a non-standard install).</summary>
    public const string LibraryOverrideVariable = "HV_MONITOR_LIBVIRT";

    static LibvirtNative()
    {
        NativeLibrary.SetDllImportResolver(typeof(LibvirtNative).Assembly, (name, assembly, searchPath) =>
            name == Lib && Environment.GetEnvironmentVariable(LibraryOverrideVariable) is { Length: > 0 } path
                ? NativeLibrary.Load(path)
                : IntPtr.Zero);
    }

    // virDomainStatsTypes
    public const uint StatsState = 1, StatsCpuTotal = 2, StatsBalloon = 4, StatsVcpu = 8, StatsInterface = 16, StatsBlock = 32;

    // virConnectGetAllDomainStatsFlags: NOWAIT (libvirt >= 4.5) skips the stats of a domain whose job
    // lock is held instead of waiting up to ~30 s for it.
    public const uint StatsNoWait = 1u << 29;

    // virTypedParameterType
    public const int ParamInt = 1, ParamUInt = 2, ParamLLong = 3, ParamULLong = 4, ParamDouble = 5, ParamBoolean = 6, ParamString = 7;

    public const int TypedParamFieldLength = 80;

    [StructLayout(LayoutKind.Sequential)]
    public struct DomainStatsRecord
    {
        public IntPtr Domain;
        public TypedParameter* Params;
        public int NParams;
    }

    [StructLayout(LayoutKind.Explicit, Size = 96)]
    public struct TypedParameter
    {
        [FieldOffset(0)] public fixed byte Field[TypedParamFieldLength];
        [FieldOffset(80)] public int Type;
        [FieldOffset(88)] public int I;
        [FieldOffset(88)] public uint UI;
        [FieldOffset(88)] public long L;
        [FieldOffset(88)] public ulong UL;
        [FieldOffset(88)] public double D;
        [FieldOffset(88)] public IntPtr S;
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virConnectOpenReadOnly(string? uri);

    /// <summary>The connection's URI (malloc'd, the caller frees it).</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virConnectGetURI(IntPtr conn);

    [LibraryImport(Lib)]
    public static partial int virConnectClose(IntPtr conn);

    [LibraryImport(Lib)]
    public static partial int virConnectGetAllDomainStats(IntPtr conn, uint stats, out DomainStatsRecord** retStats, uint flags);

    /// <summary>The same records for the domains of a NULL-terminated array (here: one domain, asked again).</summary>
    [LibraryImport(Lib)]
    public static partial int virDomainListGetStats(IntPtr* doms, uint stats, out DomainStatsRecord** retStats, uint flags);

    [LibraryImport(Lib)]
    public static partial void virDomainStatsRecordListFree(DomainStatsRecord** stats);

    [LibraryImport(Lib)]
    public static partial void virSetErrorFunc(IntPtr userData, delegate* unmanaged<IntPtr, IntPtr, void> handler);

    /// <summary>The last error's message in this thread; a static string, never freed.</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virGetLastErrorMessage();

    /// <summary>Returns a pointer owned by the domain object: not freed.</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virDomainGetName(IntPtr domain);

    /// <summary>Returns a string the caller frees with free().</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virDomainGetXMLDesc(IntPtr domain, uint flags);

    [LibraryImport(Lib)]
    public static partial int virDomainSnapshotNum(IntPtr domain, uint flags);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virNetworkLookupByName(IntPtr conn, string name);

    /// <summary>Returns a string the caller frees with free().</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virNetworkGetBridgeName(IntPtr network);

    [LibraryImport(Lib)]
    public static partial int virNetworkFree(IntPtr network);

    // ---- Used by the reporter (hv-monitor report): host facts, domains by ID then defined, auth. ----

    // virConnectCredentialType, virConnectFlags
    public const int CredAuthName = 2, CredPassphrase = 5;
    public const uint ConnectReadOnly = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct ConnectAuth
    {
        public int* CredTypes;
        public uint NCredTypes;
        public delegate* unmanaged<ConnectCredential*, uint, IntPtr, int> Callback;
        public IntPtr CallbackData;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ConnectCredential
    {
        public int Type;
        public IntPtr Prompt;
        public IntPtr Challenge;
        public IntPtr DefaultResult;
        /// <summary>malloc'd by the callback; libvirt frees it.</summary>
        public IntPtr Result;
        public uint ResultLength;
    }

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr virConnectOpenAuth(string? uri, ConnectAuth* auth, uint flags);

    [LibraryImport(Lib)]
    public static partial int virConnectNumOfDomains(IntPtr conn);

    [LibraryImport(Lib)]
    public static partial int virConnectListDomains(IntPtr conn, int* ids, int maxIds);

    [LibraryImport(Lib)]
    public static partial int virConnectNumOfDefinedDomains(IntPtr conn);

    /// <summary>Fills names the caller frees with free().</summary>
    [LibraryImport(Lib)]
    public static partial int virConnectListDefinedDomains(IntPtr conn, IntPtr* names, int maxNames);

    /// <summary>(unsigned)-1 for an inactive domain; no RPC (the ID is in the domain object).</summary>
    [LibraryImport(Lib)]
    public static partial uint virDomainGetID(IntPtr domain);

    /// <summary>Writes VIR_UUID_STRING_BUFLEN (37) bytes into buf.</summary>
    [LibraryImport(Lib)]
    public static partial int virDomainGetUUIDString(IntPtr domain, byte* buf);

    /// <summary>Returns a string the caller frees with free().</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virConnectGetCapabilities(IntPtr conn);

    /// <summary>Returns a string the caller frees with free().</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virConnectGetHostname(IntPtr conn);

    /// <summary>Returns a static string: not freed.</summary>
    [LibraryImport(Lib)]
    public static partial IntPtr virConnectGetType(IntPtr conn);

    [LibraryImport(Lib)]
    public static partial int virConnectGetVersion(IntPtr conn, out ulong version);

    [LibraryImport(Lib)]
    public static partial int virConnectGetLibVersion(IntPtr conn, out ulong version);
}
