namespace HvMonitor.Shared.Cbsd;

/// <summary>
/// The status words <c>cbsd bls</c> prints (bhyvectl/bls, conv_status): On, Off, Slave, Maintenance (with an
/// optional <c>:comment</c> that <c>cbsd bswmode</c> lets a user write with blanks in it), Unknown, and Unregister
/// for a VM known only from jails-rcconf. Both programs read bls: the collector's states and the reporter's both
/// start from <see cref="Word"/>. Pure.
/// </summary>
public static class CbsdStatus
{
    public const string On = "On";
    public const string Off = "Off";
    public const string Maintenance = "Maintenance";

    private static readonly string[] Words = [On, Off, "Slave", "Unknown", "Unregister", Maintenance];

    /// <summary>The word before any <c>:comment</c>: <c>Maintenance:Stopping_VM</c> is Maintenance.</summary>
    public static string Word(string status) => status.Split(':', 2)[0];

    /// <summary>One of CBSD's status words; only Maintenance may carry a comment, and only a comment may hold blanks.</summary>
    public static bool IsStatus(string status)
    {
        var word = Word(status);
        return Words.Contains(word, StringComparer.Ordinal) && (word == Maintenance || status == word);
    }
}
