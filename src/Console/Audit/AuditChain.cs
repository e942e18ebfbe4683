using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServiceHall.Console.Audit;

/// <summary>
/// The hash chain that makes the audit log tamper-evident: every entry carries the SHA-256 of the entry before it and
/// its own, each over a canonical serialisation, so changing or removing an entry breaks the chain at that point.
/// </summary>
public static class AuditChain
{
    /// <summary>What the first entry of a log that was never pruned points back to.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>
    /// Lower-case hex SHA-256 of the entry's canonical form: its fields in a fixed order (id, UTC ticks, actor, action,
    /// target, detail, previous hash), each as a netstring "LENGTH:VALUE," of its UTF-8 bytes, a missing detail as "-1:,".
    /// Netstrings need no escaping, so any verifier reproduces the bytes exactly and no two entries share a form.
    /// </summary>
    public static string Hash(AuditEntry entry) => Convert.ToHexStringLower(SHA256.HashData(Canonical(entry)));

    public static byte[] Canonical(AuditEntry entry)
    {
        var text = new StringBuilder();
        Field(text, entry.Id.ToString(CultureInfo.InvariantCulture));
        Field(text, entry.AtTicks.ToString(CultureInfo.InvariantCulture));
        Field(text, entry.Actor);
        Field(text, entry.Action);
        Field(text, entry.Target);
        Field(text, entry.Detail);
        Field(text, entry.PreviousHash);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static void Field(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("-1:,");
            return;
        }

        text.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append(',');
    }
}

/// <summary>
/// Where the chain starts after pruning: the id and hash of the last entry removed, so the first entry kept still
/// proves it follows what was there. Stored as the one document of its collection.
/// </summary>
public sealed class AuditAnchor
{
    public int Id { get; set; } = 1;

    /// <summary>The last pruned entry's id; 0 when nothing was pruned.</summary>
    public int PrunedThroughId { get; set; }

    /// <summary>The last pruned entry's hash, which the first kept entry carries as its previous hash.</summary>
    public string Hash { get; set; } = AuditChain.Genesis;

    public long PrunedCount { get; set; }

    public DateTimeOffset? PrunedAt { get; set; }
}

/// <summary>The result of checking the chain: intact, or where it first breaks and why.</summary>
public sealed record AuditChainReport(
    bool Intact,
    long Checked,
    int? FirstBrokenId,
    string? Problem,
    int? HeadId,
    string HeadHash,
    int AnchorId,
    string AnchorHash);

/// <summary>The <c>audit verify</c> admin command: checks the chain of a Console's data folder and prints the result.</summary>
public static class AuditVerifyCommand
{
    /// <summary>Prints the report; 0 when the chain is intact, 1 when it is broken.</summary>
    public static int Run(AuditLog audit, TextWriter output)
    {
        var report = audit.Verify();
        if (report.Intact)
        {
            output.WriteLine($"audit log intact: {report.Checked} entries checked; head #{report.HeadId} {report.HeadHash}; anchor #{report.AnchorId} {report.AnchorHash}");
            return 0;
        }

        output.WriteLine($"audit log BROKEN at entry #{report.FirstBrokenId}: {report.Problem}");
        output.WriteLine($"  {report.Checked} entries checked; head #{report.HeadId} {report.HeadHash}; anchor #{report.AnchorId} {report.AnchorHash}");
        return 1;
    }
}
