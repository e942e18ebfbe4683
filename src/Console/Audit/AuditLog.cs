using LiteDB;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Audit;

/// <summary>What people did: sign-ins, alert acknowledgements, key and user changes, recording views and exports.</summary>
public static class AuditActions
{
    public const string SignedIn = "SignedIn";
    public const string SignInFailed = "SignInFailed";
    public const string AccountLocked = "AccountLocked";
    public const string PasswordChanged = "PasswordChanged";
    public const string AlertAcknowledged = "AlertAcknowledged";
    public const string AlertResolved = "AlertResolved";
    public const string SiteSaved = "SiteSaved";
    public const string SiteKeyIssued = "SiteKeyIssued";
    public const string SiteKeyRevoked = "SiteKeyRevoked";
    public const string UserSaved = "UserSaved";
    public const string UserDisabled = "UserDisabled";
    public const string UserEnabled = "UserEnabled";
    public const string RecordingViewed = "RecordingViewed";
    public const string RecordingExported = "RecordingExported";
    public const string CaseKept = "CaseKept";
    public const string ClipRequested = "ClipRequested";
    public const string HoldPlaced = "HoldPlaced";
    public const string HoldReleased = "HoldReleased";
    public const string SeatChanged = "SeatChanged";
    public const string LiveViewed = "LiveViewed";
    public const string PatrolStarted = "PatrolStarted";
    public const string PatrolFindingRecorded = "PatrolFindingRecorded";
    public const string PatrolEnded = "PatrolEnded";
    public const string SigningKeyRotated = "SigningKeyRotated";
    public const string AuditPruned = "AuditPruned";
}

/// <summary>
/// The append-only audit log: entries are only ever inserted (pruning past the retention aside), each chained to the
/// one before by its hash (<see cref="AuditChain"/>), so a change or removal in the file shows in <see cref="Verify"/>.
/// </summary>
public sealed class AuditLog
{
    private readonly ConsoleDatabase _db;
    private readonly TimeProvider _time;
    private readonly Lock _onceGate = new();
    private readonly HashSet<(string Actor, string Action, string Target)> _loggedThisHour = [];
    private long _onceHour;

    // Appends are serialised: each needs the hash and id of the one before.
    private readonly Lock _appendGate = new();

    // Verify and Prune must not interleave: a prune under a running check would look like removed entries.
    private readonly Lock _maintenanceGate = new();
    private int _headId;
    private string _headHash;

    public AuditLog(ConsoleDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        // Map the type now, on one thread, rather than on the first of two concurrent sign-ins.
        db.Database.Mapper.ToDocument(new AuditEntry());
        var anchor = Anchors.FindById(1) ?? StartChain();
        var last = Entries.Query().OrderByDescending(e => e.Id).FirstOrDefault();
        _headId = last?.Id ?? anchor.PrunedThroughId;
        _headHash = last?.Hash ?? anchor.Hash;
    }

    private ILiteCollection<AuditEntry> Entries => _db.Database.GetCollection<AuditEntry>("audit");

    private ILiteCollection<AuditAnchor> Anchors => _db.Database.GetCollection<AuditAnchor>("audit_anchor");

    public AuditEntry Append(string actor, string action, string target, string? detail = null)
    {
        lock (_appendGate)
        {
            var entry = new AuditEntry
            {
                Id = _headId + 1,
                AtTicks = _time.GetUtcNow().UtcTicks,
                Actor = actor,
                Action = action,
                Target = target,
                Detail = detail,
                PreviousHash = _headHash,
            };
            entry.Hash = AuditChain.Hash(entry);
            Entries.Insert(entry);
            _headId = entry.Id;
            _headHash = entry.Hash;
            return entry;
        }
    }

    /// <summary>
    /// Appends unless the same actor already has this action on this target within the current hour:
    /// a player reads a clip in many ranges and polls live video every few seconds, and each read must be covered
    /// without flooding the log. Remembered in memory, not looked up in the log (a scan per video segment); after a
    /// restart the hour may hold a second entry, never none.
    /// </summary>
    public AuditEntry? AppendOncePerHour(string actor, string action, string target, string? detail = null)
    {
        var now = _time.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).UtcTicks;
        // Parallel range requests of one player would otherwise both see "not yet logged".
        lock (_onceGate)
        {
            if (hourStart != _onceHour)
            {
                _onceHour = hourStart;
                _loggedThisHour.Clear();
            }

            return _loggedThisHour.Add((actor, action, target)) ? Append(actor, action, target, detail) : null;
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<AuditEntry> Recent(int limit) => Page(null, limit);

    /// <summary>Newest first, the <paramref name="limit"/> entries with ids below <paramref name="before"/> (all when null).</summary>
    public IReadOnlyList<AuditEntry> Page(int? before, int limit)
    {
        var query = before is { } below ? Entries.Query().Where(e => e.Id < below) : Entries.Query();
        return query.OrderByDescending(e => e.Id).Limit(limit).ToList();
    }

    /// <summary>The newest entry's id and hash (the anchor's after everything was pruned).</summary>
    public (int Id, string Hash) Head()
    {
        lock (_appendGate)
        {
            return (_headId, _headHash);
        }
    }

    /// <summary>
    /// Walks the chain from the anchor to the head and reports the first entry whose content does not match its hash,
    /// whose previous hash does not match the entry before it (one was changed or removed), or the head missing.
    /// </summary>
    public AuditChainReport Verify()
    {
        lock (_maintenanceGate)
        {
            var (headId, headHash) = Head();
            var anchor = Anchors.FindById(1) ?? new AuditAnchor();
            var previousId = anchor.PrunedThroughId;
            var previousHash = anchor.Hash;
            long count = 0;
            AuditChainReport Broken(int id, string problem) => new(false, count, id, problem, headId, headHash, anchor.PrunedThroughId, anchor.Hash);

            foreach (var entry in Entries.Find(Query.All(Query.Ascending)))
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

                if (AuditChain.Hash(entry) != entry.Hash)
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
    }

    /// <summary>
    /// Removes the entries older than <paramref name="cutoff"/> from the start of the chain and moves the anchor to the
    /// last one removed, so what is kept still verifies; the prune itself is logged. Returns how many were removed.
    /// </summary>
    public long Prune(DateTimeOffset cutoff)
    {
        AuditEntry? last = null;
        long count = 0;
        lock (_maintenanceGate)
        {
            lock (_appendGate)
            {
                foreach (var entry in Entries.Find(Query.All(Query.Ascending)))
                {
                    if (entry.AtTicks >= cutoff.UtcTicks)
                    {
                        break;
                    }

                    last = entry;
                    count++;
                }

                if (last is null)
                {
                    return 0;
                }

                var anchor = Anchors.FindById(1) ?? new AuditAnchor();
                anchor.PrunedThroughId = last.Id;
                anchor.Hash = last.Hash;
                anchor.PrunedCount += count;
                anchor.PrunedAt = _time.GetUtcNow();
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

        Append("system", AuditActions.AuditPruned, "audit", $"{count} entries through #{last.Id}, older than {cutoff:O}; anchor {last.Hash}");
        return count;
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

/// <summary>One audit entry as stored; the id grows by one with every append.</summary>
public sealed class AuditEntry
{
    public int Id { get; set; }

    public long AtTicks { get; set; }

    public string Actor { get; set; } = "";

    public string Action { get; set; } = "";

    public string Target { get; set; } = "";

    public string? Detail { get; set; }

    /// <summary>The hash of the entry before (<see cref="AuditChain.Genesis"/> or the anchor's for the first).</summary>
    public string PreviousHash { get; set; } = "";

    /// <summary>This entry's own hash over its canonical form, previous hash included.</summary>
    public string Hash { get; set; } = "";

    public DateTimeOffset At => new(AtTicks, TimeSpan.Zero);
}
