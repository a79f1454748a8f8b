using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace HvMonitor.Shared.Libvirt;

/// <summary>
/// Stats key names, made once. Every domain reports the same few dozen keys ("block.0.rd.bytes"), so
/// building them per domain and per look-up would be most of what a collection allocates.
/// </summary>
internal static class StatKeys
{
    private static readonly ConcurrentDictionary<string, string> Interned = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<int, BlockKeys> Blocks = new();
    private static readonly ConcurrentDictionary<int, NetKeys> Nets = new();

    /// <summary>A typed parameter's field name (NUL-terminated ASCII, at most 80 bytes) as a shared string.</summary>
    public static unsafe string Intern(byte* field)
    {
        var bytes = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(field);
        Span<char> chars = stackalloc char[bytes.Length];
        if (Ascii.ToUtf16(bytes, chars, out _) != System.Buffers.OperationStatus.Done)
            return Encoding.UTF8.GetString(bytes);
        var lookup = Interned.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var known))
            return known;
        var key = new string(chars);
        return Interned.GetOrAdd(key, key);
    }

    public static BlockKeys Block(int index) => Blocks.GetOrAdd(index, static i => new BlockKeys(i));

    public static NetKeys Net(int index) => Nets.GetOrAdd(index, static i => new NetKeys(i));

}

/// <summary>The keys of disk N: block.N.name, block.N.rd.bytes, ...</summary>
internal sealed class BlockKeys
{
    public BlockKeys(int index)
    {
        string p = "block." + index.ToString(CultureInfo.InvariantCulture) + ".";
        Name = p + "name";
        Path = p + "path";
        Capacity = p + "capacity";
        Allocation = p + "allocation";
        Physical = p + "physical";
        RdBytes = p + "rd.bytes";
        RdReqs = p + "rd.reqs";
        RdTimes = p + "rd.times";
        WrBytes = p + "wr.bytes";
        WrReqs = p + "wr.reqs";
        WrTimes = p + "wr.times";
        FlReqs = p + "fl.reqs";
        FlTimes = p + "fl.times";
    }

    public string Name { get; }
    public string Path { get; }
    public string Capacity { get; }
    public string Allocation { get; }
    public string Physical { get; }
    public string RdBytes { get; }
    public string RdReqs { get; }
    public string RdTimes { get; }
    public string WrBytes { get; }
    public string WrReqs { get; }
    public string WrTimes { get; }
    public string FlReqs { get; }
    public string FlTimes { get; }
}

/// <summary>The keys of interface N: net.N.name, net.N.rx.bytes, ...</summary>
internal sealed class NetKeys
{
    public NetKeys(int index)
    {
        string p = "net." + index.ToString(CultureInfo.InvariantCulture) + ".";
        Name = p + "name";
        RxBytes = p + "rx.bytes";
        RxPkts = p + "rx.pkts";
        RxErrs = p + "rx.errs";
        RxDrop = p + "rx.drop";
        TxBytes = p + "tx.bytes";
        TxPkts = p + "tx.pkts";
        TxErrs = p + "tx.errs";
        TxDrop = p + "tx.drop";
    }

    public string Name { get; }
    public string RxBytes { get; }
    public string RxPkts { get; }
    public string RxErrs { get; }
    public string RxDrop { get; }
    public string TxBytes { get; }
    public string TxPkts { get; }
    public string TxErrs { get; }
    public string TxDrop { get; }
}
