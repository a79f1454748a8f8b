namespace HvMonitor.Shared.Text;

/// <summary>
/// A password or other secret from the configuration. It never shows its value by accident: ToString,
/// string interpolation and exception messages print a fixed mask; only <see cref="Reveal"/> gives it,
/// and only the code that hands it to libvirt or HTTP calls that. Equal by value, so two sections with the
/// same destination settings (secrets included) share one destination, as in virt-who.
/// </summary>
public sealed class Secret : IEquatable<Secret>
{
    private readonly string _value;

    public Secret(string value) => _value = value;

    public string Reveal() => _value;

    public bool IsEmpty => _value.Length == 0;

    public override string ToString() => "********";

    public bool Equals(Secret? other) => other is not null && string.Equals(_value, other._value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as Secret);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_value);
}
