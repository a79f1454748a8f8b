using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace HvMonitor.Backends.Libvirt;

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
/// Pure. DTDs are refused: the XML comes from a daemon, but we never expand entities we did not ask for.
/// </summary>
public static class DomainXmlParser
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
    private static readonly XNamespace LibosinfoNs = "http://libosinfo.org/xmlns/libvirt/domain/1.0";

    public static DomainConfig Parse(string xml)
    {
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            root = XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"domain XML is not well-formed: {e.Message}", e);
        }
        if (root.Name.LocalName != "domain")
            throw new FormatException($"expected a <domain> element, found <{root.Name.LocalName}>");

        var devices = root.Element("devices");
        return new DomainConfig(
            Type: (string?)root.Attribute("type") ?? "",
            Name: (string?)root.Element("name") ?? "",
            Uuid: (string?)root.Element("uuid") ?? "",
            MemoryBytes: ToBytes(root.Element("memory")),
            Vcpus: ParseULong((string?)root.Element("vcpu")),
            OsId: (string?)root.Element("metadata")?.Element(LibosinfoNs + "libosinfo")?.Element(LibosinfoNs + "os")?.Attribute("id") ?? "",
            Disks: devices?.Elements("disk").Select(ParseDisk).Where(d => d.Target.Length > 0).ToList() ?? [],
            Interfaces: devices?.Elements("interface").Select(ParseInterface).ToList() ?? [],
            Graphics: devices?.Elements("graphics").Select(ParseGraphics).ToList() ?? []);
    }

    private static DiskConfig ParseDisk(XElement disk)
    {
        var source = disk.Element("source");
        // file= for files, dev= for block devices, name= for network disks (rbd pool/image), volume= for pools.
        var path = (string?)source?.Attribute("file") ?? (string?)source?.Attribute("dev")
                   ?? (string?)source?.Attribute("name") ?? (string?)source?.Attribute("volume");
        return new DiskConfig(
            Target: (string?)disk.Element("target")?.Attribute("dev") ?? "",
            Device: (string?)disk.Attribute("device") ?? "disk",
            SourcePath: path);
    }

    private static InterfaceConfig ParseInterface(XElement nic)
    {
        var source = nic.Element("source");
        return new InterfaceConfig(
            Type: (string?)nic.Attribute("type") ?? "",
            Mac: (string?)nic.Element("mac")?.Attribute("address") ?? "",
            SourceBridge: (string?)source?.Attribute("bridge"),
            SourceNetwork: (string?)source?.Attribute("network"),
            SourceDevice: (string?)source?.Attribute("dev"),
            TargetDevice: (string?)nic.Element("target")?.Attribute("dev"));
    }

    private static GraphicsConfig ParseGraphics(XElement g)
    {
        var listenElement = g.Elements("listen").FirstOrDefault();
        var listen = (string?)g.Attribute("listen") ?? (string?)listenElement?.Attribute("address");
        var socket = (string?)g.Attribute("socket") ?? (string?)listenElement?.Attribute("socket");
        var portText = (string?)g.Attribute("port") ?? (string?)g.Attribute("tlsPort");
        int? port = int.TryParse(portText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : null;
        return new GraphicsConfig((string?)g.Attribute("type") ?? "", listen, port, socket);
    }

    /// <summary><c>&lt;memory unit='KiB'&gt;65536&lt;/memory&gt;</c>; libvirt's default unit is KiB.</summary>
    private static ulong ToBytes(XElement? element)
    {
        if (element is null)
            return 0;
        ulong value = ParseULong(element.Value);
        string unit = ((string?)element.Attribute("unit") ?? "KiB").ToLowerInvariant();
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
