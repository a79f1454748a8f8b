using System.Globalization;
using System.Xml;

namespace HvMonitor.Collector.Backends.Libvirt;

public sealed record DiskConfig(string Target, string Device, string? SourcePath);

/// <summary><c>&lt;interface type='bridge'&gt;</c>: Type is bridge, network, direct, user, ...</summary>
public sealed record InterfaceConfig(string Type, string Mac, string? SourceBridge, string? SourceNetwork, string? SourceDevice, string? TargetDevice);

public sealed record GraphicsConfig(string Type, string? Listen, int? Port, string? Socket);

/// <summary>The parts of a domain's XML description hv-monitor reports. Type is the driver: kvm, qemu, test...</summary>
public sealed record DomainConfig(
    string Type,
    string Name,
    string Uuid,
    ulong MemoryBytes,
    ulong Vcpus,
    string OsId,
    IReadOnlyList<DiskConfig> Disks,
    IReadOnlyList<InterfaceConfig> Interfaces,
    IReadOnlyList<GraphicsConfig> Graphics);

/// <summary>
/// Parses <c>virsh dumpxml</c> / virDomainGetXMLDesc output: <c>&lt;domain type='kvm'&gt;&lt;name&gt;web&lt;/name&gt;...</c>.
/// Pure. One forward pass with XmlReader picking out the few elements we report (no DOM: this runs once
/// per domain on every collection). DTDs are refused: we never expand entities we did not ask for.
/// </summary>
public static class DomainXmlParser
{
    // Every domain's XML uses the same few hundred element and attribute names: one name table per
    // thread, reused, halves what each parse allocates (NameTable is not safe to share across threads).
    [ThreadStatic]
    private static NameTable? t_names;

    private static XmlReaderSettings NewSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        NameTable = t_names ??= new NameTable(),
    };

    private const string LibosinfoNs = "http://libosinfo.org/xmlns/libvirt/domain/1.0";

    public static DomainConfig Parse(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), NewSettings());
            return Parse(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"domain XML is not well-formed: {e.Message}", e);
        }
    }

    private static DomainConfig Parse(XmlReader reader)
    {
        reader.MoveToContent();
        if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "domain")
            throw new FormatException($"expected a <domain> element, found <{reader.LocalName}>");
        string type = reader.GetAttribute("type") ?? "";
        string name = "", uuid = "", osId = "";
        ulong memoryBytes = 0, vcpus = 0;
        var disks = new List<DiskBuilder>();
        var nics = new List<InterfaceBuilder>();
        var graphics = new List<GraphicsBuilder>();

        int rootDepth = reader.Depth;
        string section = "";  // the current child of <domain>: devices, metadata, ...
        string device = "";   // the current child of <devices>: disk, interface, graphics, ...
        bool advance = !reader.IsEmptyElement;
        bool more = advance;
        while (more)
        {
            // ReadElementContentAsString leaves the reader on the next node already: do not skip it.
            if (advance && !reader.Read())
                break;
            advance = true;
            if (reader.NodeType != XmlNodeType.Element)
                continue;
            int depth = reader.Depth - rootDepth;
            switch (depth)
            {
                case 1:
                    section = reader.LocalName;
                    switch (section)
                    {
                        case "name": name = reader.ReadElementContentAsString(); advance = false; break;
                        case "uuid": uuid = reader.ReadElementContentAsString(); advance = false; break;
                        case "vcpu": vcpus = ParseULong(reader.ReadElementContentAsString()); advance = false; break;
                        case "memory":
                            var unit = reader.GetAttribute("unit");
                            memoryBytes = ToBytes(reader.ReadElementContentAsString(), unit);
                            advance = false;
                            break;
                    }
                    break;
                case 2 when section == "devices":
                    device = reader.LocalName;
                    switch (device)
                    {
                        case "disk": disks.Add(new DiskBuilder { Device = reader.GetAttribute("device") ?? "disk" }); break;
                        case "interface": nics.Add(new InterfaceBuilder { Type = reader.GetAttribute("type") ?? "" }); break;
                        case "graphics":
                            graphics.Add(new GraphicsBuilder
                            {
                                Type = reader.GetAttribute("type") ?? "",
                                Listen = reader.GetAttribute("listen"),
                                Socket = reader.GetAttribute("socket"),
                                Port = reader.GetAttribute("port") ?? reader.GetAttribute("tlsPort"),
                            });
                            break;
                    }
                    break;
                case 3 when section == "devices":
                    ReadDeviceChild(reader, device, disks, nics, graphics);
                    break;
                case 3 when section == "metadata" && reader.LocalName == "os" && reader.NamespaceURI == LibosinfoNs:
                    osId = reader.GetAttribute("id") ?? "";
                    break;
            }
            more = !reader.EOF;
        }

        return new DomainConfig(
            type, name, uuid, memoryBytes, vcpus, osId,
            disks.Where(d => d.Target.Length > 0).Select(d => new DiskConfig(d.Target, d.Device, d.Source)).ToList(),
            nics.Select(n => new InterfaceConfig(n.Type, n.Mac, n.SourceBridge, n.SourceNetwork, n.SourceDevice, n.Target)).ToList(),
            graphics.Select(g => new GraphicsConfig(g.Type, g.Listen, PositivePort(g.Port), g.Socket)).ToList());
    }

    /// <summary>Direct children of a device: &lt;source&gt;, &lt;target&gt;, &lt;mac&gt;, &lt;listen&gt;. Deeper ones (a backing store's source) are not ours.</summary>
    private static void ReadDeviceChild(XmlReader reader, string device, List<DiskBuilder> disks, List<InterfaceBuilder> nics, List<GraphicsBuilder> graphics)
    {
        switch (device, reader.LocalName)
        {
            case ("disk", "source") when disks.Count > 0:
                // file= for files, dev= for block devices, name= for network disks (rbd pool/image), volume= for pools.
                disks[^1].Source = reader.GetAttribute("file") ?? reader.GetAttribute("dev")
                                   ?? reader.GetAttribute("name") ?? reader.GetAttribute("volume");
                break;
            case ("disk", "target") when disks.Count > 0:
                disks[^1].Target = reader.GetAttribute("dev") ?? "";
                break;
            case ("interface", "mac") when nics.Count > 0:
                nics[^1].Mac = reader.GetAttribute("address") ?? "";
                break;
            case ("interface", "source") when nics.Count > 0:
                nics[^1].SourceBridge = reader.GetAttribute("bridge");
                nics[^1].SourceNetwork = reader.GetAttribute("network");
                nics[^1].SourceDevice = reader.GetAttribute("dev");
                break;
            case ("interface", "target") when nics.Count > 0:
                nics[^1].Target = reader.GetAttribute("dev");
                break;
            case ("graphics", "listen") when graphics.Count > 0 && !graphics[^1].SawListen:
                graphics[^1].SawListen = true;
                graphics[^1].Listen ??= reader.GetAttribute("address");
                graphics[^1].Socket ??= reader.GetAttribute("socket");
                break;
        }
    }

    private sealed class DiskBuilder
    {
        public string Device = "disk";
        public string Target = "";
        public string? Source;
    }

    private sealed class InterfaceBuilder
    {
        public string Type = "";
        public string Mac = "";
        public string? SourceBridge, SourceNetwork, SourceDevice, Target;
    }

    private sealed class GraphicsBuilder
    {
        public string Type = "";
        public string? Listen, Socket, Port;
        public bool SawListen;
    }

    private static int? PositivePort(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : null;

    /// <summary><c>&lt;memory unit='KiB'&gt;65536&lt;/memory&gt;</c>; libvirt's default unit is KiB.</summary>
    private static ulong ToBytes(string text, string? unitAttribute)
    {
        ulong value = ParseULong(text);
        string unit = (unitAttribute ?? "KiB").ToLowerInvariant();
        ulong factor = unit switch
        {
            "b" or "bytes" => 1,
            "kb" => 1000,
            "k" or "kib" => 1024,
            "mb" => 1000 * 1000,
            "m" or "mib" => 1024 * 1024,
            "gb" => 1000UL * 1000 * 1000,
            "g" or "gib" => 1024UL * 1024 * 1024,
            "tb" => 1000UL * 1000 * 1000 * 1000,
            "t" or "tib" => 1024UL * 1024 * 1024 * 1024,
            _ => throw new FormatException($"unknown memory unit '{unit}'"),
        };
        return value * factor;
    }

    private static ulong ParseULong(string? text) =>
        ulong.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
