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
/// one before by its hash (<see cref="AuditChain"/>), so a change or removal in the store shows in <see cref="Verify"/>.
/// The chain is kept by an <see cref="IAuditStore"/> (the LiteDB file, or PostgreSQL shared by several nodes).
/// </summary>
public sealed class AuditLog(IAuditStore store, TimeProvider time)
{
    private readonly Lock _onceGate = new();
    private readonly HashSet<(string Actor, string Action, string Target)> _loggedThisHour = [];
    private long _onceHour;

    public AuditEntry Append(string actor, string action, string target, string? detail = null) =>
        store.Append(actor, action, target, detail, time.GetUtcNow().UtcTicks);

    /// <summary>
    /// Appends unless the same actor already has this action on this target within the current hour:
    /// a player reads a clip in many ranges and polls live video every few seconds, and each read must be covered
    /// without flooding the log. Remembered in memory, not looked up in the log (a scan per video segment); after a
    /// restart, or on another node, the hour may hold a second entry, never none.
    /// </summary>
    public AuditEntry? AppendOncePerHour(string actor, string action, string target, string? detail = null)
    {
        var now = time.GetUtcNow();
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
    public IReadOnlyList<AuditEntry> Page(int? before, int limit) => store.Page(before, limit);

    /// <summary>The newest entry's id and hash (the anchor's after everything was pruned).</summary>
    public (int Id, string Hash) Head() => store.Head();

    /// <summary>
    /// Walks the chain from the anchor to the head and reports the first entry whose content does not match its hash,
    /// whose previous hash does not match the entry before it (one was changed or removed), or the head missing.
    /// </summary>
    public AuditChainReport Verify() => store.Verify();

    /// <summary>
    /// Removes the entries older than <paramref name="cutoff"/> from the start of the chain and moves the anchor to the
    /// last one removed, so what is kept still verifies; the prune itself is logged. Returns how many were removed.
    /// </summary>
    public long Prune(DateTimeOffset cutoff)
    {
        if (store.Prune(cutoff.UtcTicks, time.GetUtcNow()) is not { } last)
        {
            return 0;
        }

        Append("system", AuditActions.AuditPruned, "audit", $"{last.Count} entries through #{last.Id}, older than {cutoff:O}; anchor {last.Hash}");
        return last.Count;
    }
}

/// <summary>
/// Where the audit chain is kept. Appends are serialised by the store (each needs the id and hash of the one before),
/// across nodes where several share it, so the log stays one chain.
/// </summary>
public interface IAuditStore
{
    /// <summary>Appends the entry after the head, chained to it (<see cref="AuditChain.Next"/>).</summary>
    AuditEntry Append(string actor, string action, string target, string? detail, long atTicks);

    /// <summary>Newest first, the <paramref name="limit"/> entries with ids below <paramref name="before"/> (all when null).</summary>
    IReadOnlyList<AuditEntry> Page(int? before, int limit);

    (int Id, string Hash) Head();

    AuditChainReport Verify();

    /// <summary>
    /// Removes the leading entries older than <paramref name="cutoffTicks"/> and moves the anchor to the last one
    /// removed, together or not at all; what was removed, or null when nothing was.
    /// </summary>
    AuditPruned? Prune(long cutoffTicks, DateTimeOffset now);
}

/// <summary>What a prune removed: how many entries, through which id, whose hash is the new anchor.</summary>
public sealed record AuditPruned(long Count, int Id, string Hash);

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
