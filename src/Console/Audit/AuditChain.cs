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

    /// <summary>The entry that follows the head (<paramref name="headId"/>, <paramref name="headHash"/>), its hash computed.</summary>
    public static AuditEntry Next(int headId, string headHash, long atTicks, string actor, string action, string target, string? detail)
    {
        var entry = new AuditEntry
        {
            Id = headId + 1,
            AtTicks = atTicks,
            Actor = actor,
            Action = action,
            Target = target,
            Detail = detail,
            PreviousHash = headHash,
        };
        entry.Hash = Hash(entry);
        return entry;
    }

    /// <summary>
    /// Walks <paramref name="entries"/> (in id order) from the anchor to the head and reports the first entry whose
    /// content does not match its hash, whose previous hash does not match the entry before it (one was changed or
    /// removed), or the head missing. Entries past the head (appended after it was read) are not looked at.
    /// </summary>
    public static AuditChainReport Walk(AuditAnchor anchor, int headId, string headHash, IEnumerable<AuditEntry> entries)
    {
        var previousId = anchor.PrunedThroughId;
        var previousHash = anchor.Hash;
        long count = 0;
        AuditChainReport Broken(int id, string problem) => new(false, count, id, problem, headId, headHash, anchor.PrunedThroughId, anchor.Hash);

        foreach (var entry in entries)
        {
            if (entry.Id > headId)
            {
                break;
            }

            count++;
            if (entry.Id <= previousId)
            {
                return Broken(entry.Id, $"entry #{entry.Id} is older than the anchor or out of order");
            }

            if (entry.PreviousHash != previousHash)
            {
                return Broken(entry.Id, $"entry #{entry.Id} does not follow the entry before it (#{previousId}): an entry between them was removed or the one before was changed");
            }

            if (Hash(entry) != entry.Hash)
            {
                return Broken(entry.Id, $"entry #{entry.Id} was changed: its content does not match its hash");
            }

            previousId = entry.Id;
            previousHash = entry.Hash;
        }

        if (previousId != headId || previousHash != headHash)
        {
            return Broken(previousId + 1, $"the newest entries were removed or changed: the chain ends at #{previousId}, the log's head is #{headId}");
        }

        return new AuditChainReport(true, count, null, null, headId, headHash, anchor.PrunedThroughId, anchor.Hash);
    }

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
