using LiteDB;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Audit;

/// <summary>
/// The audit chain in the LiteDB file (one node): the head is kept in memory, since only this process appends, and
/// appends are serialised by a lock.
/// </summary>
public sealed class LiteDbAuditStore : IAuditStore
{
    private readonly ConsoleDatabase _db;

    // Appends are serialised: each needs the hash and id of the one before.
    private readonly Lock _appendGate = new();

    // Verify and Prune must not interleave: a prune under a running check would look like removed entries.
    private readonly Lock _maintenanceGate = new();
    private int _headId;
    private string _headHash;

    public LiteDbAuditStore(ConsoleDatabase db)
    {
        _db = db;
        // Map the type now, on one thread, rather than on the first of two concurrent sign-ins.
        db.Database.Mapper.ToDocument(new AuditEntry());
        var anchor = Anchors.FindById(1) ?? StartChain();
        var last = Entries.Query().OrderByDescending(e => e.Id).FirstOrDefault();
        _headId = last?.Id ?? anchor.PrunedThroughId;
        _headHash = last?.Hash ?? anchor.Hash;
    }

    private ILiteCollection<AuditEntry> Entries => _db.Database.GetCollection<AuditEntry>("audit");

    private ILiteCollection<AuditAnchor> Anchors => _db.Database.GetCollection<AuditAnchor>("audit_anchor");

    public AuditEntry Append(string actor, string action, string target, string? detail, long atTicks)
    {
        lock (_appendGate)
        {
            var entry = AuditChain.Next(_headId, _headHash, atTicks, actor, action, target, detail);
            Entries.Insert(entry);
            _headId = entry.Id;
            _headHash = entry.Hash;
            return entry;
        }
    }

    public IReadOnlyList<AuditEntry> Page(int? before, int limit)
    {
        var query = before is { } below ? Entries.Query().Where(e => e.Id < below) : Entries.Query();
        return query.OrderByDescending(e => e.Id).Limit(limit).ToList();
    }

    public (int Id, string Hash) Head()
    {
        lock (_appendGate)
        {
            return (_headId, _headHash);
        }
    }

    public AuditChainReport Verify()
    {
        lock (_maintenanceGate)
        {
            var (headId, headHash) = Head();
            var anchor = Anchors.FindById(1) ?? new AuditAnchor();
            return AuditChain.Walk(anchor, headId, headHash, Entries.Find(Query.All(Query.Ascending)));
        }
    }

    public AuditPruned? Prune(long cutoffTicks, DateTimeOffset now)
    {
        AuditEntry? last = null;
        long count = 0;
        lock (_maintenanceGate)
        {
            lock (_appendGate)
            {
                foreach (var entry in Entries.Find(Query.All(Query.Ascending)))
                {
                    if (entry.AtTicks >= cutoffTicks)
                    {
                        break;
                    }

                    last = entry;
                    count++;
                }

                if (last is null)
                {
                    return null;
                }

                var anchor = Anchors.FindById(1) ?? new AuditAnchor();
                anchor.PrunedThroughId = last.Id;
                anchor.Hash = last.Hash;
                anchor.PrunedCount += count;
                anchor.PrunedAt = now;
                var prunedThrough = last.Id;
                // Removing entries and moving the anchor happen together or not at all, else the chain would not verify.
                _db.Database.BeginTrans();
                try
                {
                    Entries.DeleteMany(e => e.Id <= prunedThrough);
                    Anchors.Upsert(anchor);
                    _db.Database.Commit();
                }
                catch
                {
                    _db.Database.Rollback();
                    throw;
                }
            }
        }

        return new AuditPruned(count, last.Id, last.Hash);
    }

    /// <summary>
    /// First start of a log with no anchor: entries written before the log was chained are chained now, in id order,
    /// so from here on any change to them shows. Runs once; afterwards the anchor exists.
    /// </summary>
    private AuditAnchor StartChain()
    {
        var previous = AuditChain.Genesis;
        foreach (var entry in Entries.Find(Query.All(Query.Ascending)).ToList())
        {
            entry.PreviousHash = previous;
            entry.Hash = AuditChain.Hash(entry);
            Entries.Update(entry);
            previous = entry.Hash;
        }

        var anchor = new AuditAnchor();
        Anchors.Insert(anchor);
        return anchor;
    }
}
