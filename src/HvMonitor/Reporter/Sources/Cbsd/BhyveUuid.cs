using System.Security.Cryptography;
using System.Text;

namespace HvMonitor.Reporter.Sources.Cbsd;

/// <summary>
/// The UUID a bhyve guest sees in its SMBIOS (dmidecode -s system-uuid, /sys/class/dmi/id/product_uuid),
/// which is what subscription-manager inside the guest reports and so what Candlepin must be told.
/// <list type="bullet">
/// <item>CBSD passes its per-VM <c>uuid</c> setting as <c>bhyve -U</c> unless it is empty or "0"
/// (share/bhyverun.sh: <c>[ -n "${uuid}" -a "${uuid}" != "0" ] &amp;&amp; add_bhyve_opts="… -U ${uuid}"</c>); bhyve
/// stores it with uuid_enc_le, so the guest reads back exactly that UUID.</item>
/// <item>Without -U, bhyve (usr.sbin/bhyve/smbiostbl.c, smbios_type1_initializer) takes
/// MD5(vm name, then its whole <c>char hostname[MAXHOSTNAMELEN]</c> buffer of 256 bytes), sets the version
/// (byte 6 = 0x3_) and variant (byte 8 = 10xx xxxx) bits, and copies the 16 bytes into the table as they
/// are. The table is SMBIOS 2.6, so the guest decodes the first three fields little-endian: the string
/// it shows has bytes 0–3, 4–5 and 6–7 reversed. The VM name is CBSD's jname (the last bhyve argument).</item>
/// </list>
/// Caveat, from the same source: the hostname buffer is not cleared before gethostname(), so the bytes
/// after the name's terminating NUL are whatever bhyve's stack held; this computes them as zeros (a fresh
/// process's stack). Setting CBSD's uuid (<c>cbsd bset jname=VM uuid=…</c>) removes the doubt.
/// </summary>
public static class BhyveUuid
{
    /// <summary>FreeBSD's MAXHOSTNAMELEN: the size of the buffer bhyve hashes.</summary>
    public const int HostnameBufferLength = 256;

    /// <summary>CBSD's uuid setting when it is one ("0" or empty means unset), else the bhyve-derived one.</summary>
    public static string GuestVisible(string? cbsdUuid, string vmName, string hostname) =>
        IsSet(cbsdUuid) ? cbsdUuid!.Trim().ToLowerInvariant() : Derived(vmName, hostname);

    public static bool IsSet(string? cbsdUuid) =>
        !string.IsNullOrWhiteSpace(cbsdUuid) && cbsdUuid.Trim() != "0" && cbsdUuid.Trim() != "-" && Guid.TryParse(cbsdUuid.Trim(), out _);

    /// <summary>bhyve's UUID for a VM started without -U, as the guest displays it.</summary>
    public static string Derived(string vmName, string hostname)
    {
        var name = Encoding.UTF8.GetBytes(vmName);
        var host = new byte[HostnameBufferLength];
        var hostBytes = Encoding.UTF8.GetBytes(hostname);
        hostBytes.AsSpan(0, Math.Min(hostBytes.Length, HostnameBufferLength - 1)).CopyTo(host);
        var input = new byte[name.Length + host.Length];
        name.CopyTo(input, 0);
        host.CopyTo(input, name.Length);
        var d = MD5.HashData(input);
        d[6] = (byte)((d[6] & 0x0F) | 0x30);
        d[8] = (byte)((d[8] & 0x3F) | 0x80);
        // SMBIOS >= 2.6: time_low, time_mid and time_hi_and_version are stored little-endian.
        byte[] shown = [d[3], d[2], d[1], d[0], d[5], d[4], d[7], d[6], d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15]];
        var hex = Convert.ToHexStringLower(shown);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
