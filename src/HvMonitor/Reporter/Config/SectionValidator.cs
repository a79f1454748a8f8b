using System.Text.RegularExpressions;
using HvMonitor.Reporter.Sources;
using HvMonitor.Shared.Text;

namespace HvMonitor.Reporter.Config;

/// <summary>The outcome of validating one source section.</summary>
/// <param name="Settings">Null when the section has an error.</param>
/// <param name="NotSupported">Set when the section is valid for virt-who but hv-monitor does not collect it
/// (esx, hyperv, …, Satellite 5): the reason to log, and the section is skipped.</param>
public sealed record ValidatedSection(string Name, IReadOnlyList<ValidationMessage> Messages, SectionSettings? Settings, string? NotSupported = null)
{
    public bool IsValid => Settings is not null && !Messages.Any(m => m.Level == Logging.LogLevel.Error);
}

/// <summary>
/// virt-who's per-section validation (docs/virt-who-compatibility.md, "Source sections" to "Encrypted passwords"): a pure function of the section's
/// options (already merged over [defaults] and unquoted) to messages and settings. The key file is read
/// through <paramref name="loadKey"/> only when an encrypted value is present.
/// </summary>
public static partial class SectionValidator
{
    public const string LibvirtType = "libvirt";
    public const string CbsdType = "cbsd";
    private static readonly string[] OtherVirtWhoTypes = ["esx", "hyperv", "kubevirt", "ahv", "fake"];

    private static readonly string[] SourceKeys =
        ["type", "server", "username", "password", "encrypted_password", "hypervisor_id", "filter_hosts", "exclude_hosts", "filter_type"];
    private static readonly string[] DestinationKeys =
    [
        "owner", "rhsm_hostname", "rhsm_port", "rhsm_prefix", "rhsm_username", "rhsm_password", "rhsm_encrypted_password",
        "rhsm_proxy_hostname", "rhsm_proxy_port", "rhsm_proxy_user", "rhsm_proxy_password", "rhsm_encrypted_proxy_password",
        "rhsm_no_proxy", "rhsm_insecure", "sm_type", "sat_server", "sat_username", "sat_password", "sat_encrypted_password",
    ];
    /// <summary>Non-secret rhsm_* keys that warn when empty (docs/virt-who-compatibility.md, "Values and lists").</summary>
    private static readonly string[] NonEmptyRhsmKeys =
        ["rhsm_hostname", "rhsm_port", "rhsm_prefix", "rhsm_username", "rhsm_proxy_hostname", "rhsm_proxy_port", "rhsm_proxy_user", "rhsm_no_proxy", "rhsm_insecure"];

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", RegexOptions.IgnoreCase)]
    private static partial Regex UuidPattern();

    public static ValidatedSection Validate(string name, IReadOnlyList<KeyValuePair<string, string>> options, Func<PasswordKey> loadKey)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options)
            values[key] = value;
        var messages = new List<ValidationMessage>();
        if (values.Count == 0)
            messages.Add(ValidationMessage.Warning($"No values provided in: {name}"));

        // virt_type is an alias of type only when type is absent; the host-uuid keys are old names.
        if (!values.ContainsKey("type") && values.Remove("virt_type", out var virtType))
            values["type"] = virtType;
        MoveAlias(values, "filter_host_uuids", "filter_hosts");
        MoveAlias(values, "exclude_host_uuids", "exclude_hosts");

        values.TryGetValue("type", out var type);
        if (type is not null && type != LibvirtType && type != CbsdType && !OtherVirtWhoTypes.Contains(type))
        {
            messages.Add(ValidationMessage.Error($"Unsupported virtual type '{type}' is set"));
            foreach (var key in values.Keys.Where(k => k != "type"))
                messages.Add(ValidationMessage.Warning($"Ignoring unknown configuration option \"{key}\""));
            return new ValidatedSection(name, messages, null);
        }
        if (type is not null && OtherVirtWhoTypes.Contains(type))
            return ValidateOtherType(name, type, values, messages);

        var context = new Context(name, values, messages, loadKey);
        var settings = type == CbsdType ? ValidateCbsd(context) : ValidateLibvirt(context, isGeneric: type is null);
        var destination = ValidateDestination(context, requireOwner: type == CbsdType || settings.IsRemote);
        foreach (var key in values.Keys.Where(k => !SourceKeys.Contains(k) && !DestinationKeys.Contains(k)))
            messages.Add(ValidationMessage.Warning($"Ignoring unknown configuration option \"{key}\""));
        if (messages.Any(m => m.Level == Logging.LogLevel.Error))
            return new ValidatedSection(name, messages, null);
        settings = settings with { Owner = destination.Owner, Rhsm = destination.Rhsm };
        return new ValidatedSection(name, messages, settings, destination.NotSupported);
    }

    private sealed record Context(string Name, Dictionary<string, string> Values, List<ValidationMessage> Messages, Func<PasswordKey> LoadKey)
    {
        public string? Get(string key) => Values.TryGetValue(key, out var v) ? v : null;
        public void Error(string text) => Messages.Add(ValidationMessage.Error(text));
        public void Warning(string text) => Messages.Add(ValidationMessage.Warning(text));
        public void Info(string text) => Messages.Add(ValidationMessage.Info(text));
        public void Debug(string text) => Messages.Add(ValidationMessage.Debug(text));
    }

    private static void MoveAlias(Dictionary<string, string> values, string alias, string key)
    {
        if (values.Remove(alias, out var value) && !values.ContainsKey(key))
            values[key] = value;
    }

    private static SectionSettings ValidateLibvirt(Context c, bool isGeneric)
    {
        string? server = c.Get("server");
        string? username = c.Get("username");
        string? uri = null;
        if (server is not null)
        {
            if (isGeneric)
                uri = LibvirtUriRewriter.WithoutPassword(server);
            else if (server.Trim().Length == 0)
                c.Error("\"server\" cannot be empty: remove it to read the local libvirt, or name the remote host");
            else
            {
                var rewrite = LibvirtUriRewriter.Rewrite(server, username);
                c.Messages.AddRange(rewrite.Messages);
                uri = rewrite.Uri;
            }
        }

        var password = Decrypted(c, "encrypted_password", "password");
        foreach (var key in new[] { "password", "encrypted_password" }.Where(c.Values.ContainsKey))
        {
            if (server is null)
                c.Info($"Options '{key}' set in {c.Name} is useless for monitoring local libvirtd instance");
            else if (!isGeneric && (server.Contains("ssh://", StringComparison.Ordinal) || !server.Contains("://", StringComparison.Ordinal)))
                c.Warning("Password authentication doesn't work with ssh transport on libvirt backend, copy your public ssh key to the remote machine");
        }

        string hypervisorId = HypervisorId(c, checkValue: !isGeneric);
        var filter = Filters(c, hypervisorId);
        return new SectionSettings
        {
            Name = c.Name,
            Type = LibvirtType,
            IsGeneric = isGeneric,
            Uri = uri,
            Username = string.IsNullOrEmpty(username) ? null : username,
            Password = password is { IsEmpty: false } ? password : null,
            HypervisorId = hypervisorId,
            Filter = filter,
        };
    }

    private static SectionSettings ValidateCbsd(Context c)
    {
        foreach (var key in new[] { "server", "username", "password", "encrypted_password" }.Where(c.Values.ContainsKey))
            c.Warning($"Option \"{key}\" is not used by type cbsd (it reads the local CBSD)");
        string hypervisorId = HypervisorId(c, checkValue: true);
        return new SectionSettings { Name = c.Name, Type = CbsdType, HypervisorId = hypervisorId, Filter = Filters(c, hypervisorId) };
    }

    private static string HypervisorId(Context c, bool checkValue)
    {
        var value = c.Get("hypervisor_id");
        if (value is null)
        {
            c.Debug("Value for \"hypervisor_id\" not set, using default: uuid");
            return "uuid";
        }
        if (value.Length == 0)
        {
            c.Warning("\"hypervisor_id\" cannot be empty, using default: \"uuid\"");
            return "uuid";
        }
        if (checkValue && value is not ("uuid" or "hostname"))
            c.Error($"Invalid option: \"{value}\" for hypervisor_id, use one of: (uuid, hostname)");
        return value;
    }

    private static HostFilterSettings Filters(Context c, string hypervisorId)
    {
        var type = FilterType.Either;
        var filterType = c.Get("filter_type");
        if (filterType is not null)
        {
            if (filterType == "wildcards")
                type = FilterType.Wildcards;
            else if (filterType == "regex")
                type = FilterType.Regex;
            else
                c.Error("'filter_type' must be one of: 'regex, wildcards'");
        }
        IReadOnlyList<string>? ParseList(string key)
        {
            var raw = c.Get(key);
            if (raw is null)
                return null;
            IReadOnlyList<string> items;
            try
            {
                items = ListSyntax.Parse(raw);
            }
            catch (ListSyntaxException e)
            {
                c.Error($"Option \"{key}\" cannot be parsed: {e.Message}");
                return null;
            }
            if (filterType is null)
                c.Warning($"\"{key}\" is set, but filter_type is not set. Possible values of filter_type: \"regex, wildcards\". Using default: \"wildcards\".");
            var uuids = items.Where(i => UuidPattern().IsMatch(i)).ToArray();
            // virt-who also warns when hypervisor_id is only defaulted (it compares None); hv-monitor does not.
            if (uuids.Length > 0 && c.Values.ContainsKey("hypervisor_id") && hypervisorId != "uuid")
                c.Warning($"Filter values: \"{string.Join(", ", uuids)}\" appear to be UUIDs. UUIDs are not gathered when hypervisor_id = \"{hypervisorId}\"");
            return items;
        }
        var filterHosts = ParseList("filter_hosts");
        var excludeHosts = ParseList("exclude_hosts");
        return new HostFilterSettings(filterHosts, excludeHosts, type);
    }

    private sealed record DestinationResult(string? Owner, RhsmOverrides Rhsm, string? NotSupported);

    private static DestinationResult ValidateDestination(Context c, bool requireOwner)
    {
        string? notSupported = null;
        var smType = c.Get("sm_type") ?? "sam";
        if (smType.Length == 0)
        {
            c.Warning("\"sm_type\" cannot be empty, using default: \"sam\"");
            smType = "sam";
        }
        if (smType == "satellite")
        {
            foreach (var key in new[] { "sat_server", "sat_username", "sat_password" })
                if (!c.Values.ContainsKey(key) && !(key == "sat_password" && c.Values.ContainsKey("sat_encrypted_password")))
                    c.Error($"Required option: \"{key}\" not set.");
            notSupported = "sm_type=satellite (Satellite 5) is not supported by hv-monitor";
        }
        else if (smType != "sam")
            c.Error("sm_type must be one of satellite, sam");
        else if (requireOwner && !c.Values.ContainsKey("owner"))
            c.Error("Required option: \"owner\" not set.");

        foreach (var key in NonEmptyRhsmKeys)
            if (c.Get(key) is { Length: 0 })
                c.Warning($"\"{key}\" cannot be empty and has no default value");
        if (c.Get("rhsm_port") is { Length: > 0 } port && !int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            c.Error($"Option \"rhsm_port\" must be a port number, not \"{port}\"");

        var rhsm = new RhsmOverrides
        {
            Hostname = c.Get("rhsm_hostname"),
            Port = c.Get("rhsm_port"),
            Prefix = c.Get("rhsm_prefix"),
            Username = c.Get("rhsm_username"),
            Password = Decrypted(c, "rhsm_encrypted_password", "rhsm_password"),
            ProxyHostname = c.Get("rhsm_proxy_hostname"),
            ProxyPort = c.Get("rhsm_proxy_port"),
            ProxyUser = c.Get("rhsm_proxy_user"),
            ProxyPassword = Decrypted(c, "rhsm_encrypted_proxy_password", "rhsm_proxy_password"),
            NoProxy = c.Get("rhsm_no_proxy"),
            Insecure = c.Get("rhsm_insecure"),
        };
        if (smType == "satellite")
            Decrypted(c, "sat_encrypted_password", "sat_password");
        var owner = c.Get("owner");
        return new DestinationResult(string.IsNullOrEmpty(owner) ? null : owner, rhsm, notSupported);
    }

    /// <summary>The plain key's value, or the decrypted one when the encrypted key is set (it wins; docs/virt-who-compatibility.md, "Encrypted passwords").</summary>
    private static Secret? Decrypted(Context c, string encryptedKey, string plainKey)
    {
        Secret? plain = c.Get(plainKey) is { } p ? new Secret(p) : null;
        if (c.Get(encryptedKey) is not { } cipher)
            return plain;
        try
        {
            // virt-who unhexlifies first: a value that is not hex warns (section kept) without reading the key.
            PasswordKey.CiphertextBytes(cipher);
        }
        catch (CiphertextException)
        {
            c.Warning($"Option \"{encryptedKey}\" cannot be decrypted, possibly corrupted");
            return plain;
        }
        PasswordKey key;
        try
        {
            key = c.LoadKey();
        }
        catch (KeyFileException e)
        {
            c.Error($"Unable to read key file: {e.Message}");
            return plain;
        }
        try
        {
            return new Secret(key.Decrypt(cipher));
        }
        catch (CiphertextException)
        {
            // virt-who crashes on a length that is not whole blocks; hv-monitor treats it like bad hex.
            c.Warning($"Option \"{encryptedKey}\" cannot be decrypted, possibly corrupted");
            return plain;
        }
    }

    private static ValidatedSection ValidateOtherType(string name, string type, Dictionary<string, string> values, List<ValidationMessage> messages)
    {
        string[] required = type switch
        {
            "esx" or "hyperv" or "ahv" => ["server", "username", "password", "owner"],
            "kubevirt" => ["owner"],
            _ => ["file"],
        };
        foreach (var key in required)
        {
            bool present = values.ContainsKey(key) || (key == "password" && values.ContainsKey("encrypted_password"));
            if (!present)
                messages.Add(ValidationMessage.Error($"Required option: \"{key}\" not set."));
        }
        if (messages.Any(m => m.Level == Logging.LogLevel.Error))
            return new ValidatedSection(name, messages, null);
        var settings = new SectionSettings { Name = name, Type = type };
        return new ValidatedSection(name, messages, settings, $"type \"{type}\" is not supported by hv-monitor (it collects libvirt and cbsd only)");
    }
}
