using System.Xml.Linq;

namespace HvMonitor.Reporter.Sources;

/// <summary>What virt-who reads from virConnectGetCapabilities: host/uuid and host/cpu/topology@sockets.</summary>
public sealed record HostCapabilities(string? HostUuid, string? Sockets)
{
    /// <summary>Parses <c>&lt;capabilities&gt;&lt;host&gt;&lt;uuid&gt;…&lt;/uuid&gt;&lt;cpu&gt;&lt;topology sockets='1' …/&gt;</c>.</summary>
    public static HostCapabilities Parse(string xml)
    {
        var host = XDocument.Parse(xml).Root?.Element("host");
        var uuid = host?.Element("uuid")?.Value.Trim();
        var sockets = host?.Element("cpu")?.Element("topology")?.Attribute("sockets")?.Value;
        return new HostCapabilities(string.IsNullOrEmpty(uuid) ? null : uuid, sockets);
    }
}
