using LiteDB;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Audit;

/// <summary>What people did: sign-ins, alert acknowledgements, key and user changes, recording views and exports.</summary>
public static class AuditActions
{
    public const string SignedIn = "SignedIn";
    public const string SignInFailed = "SignInFailed";
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
}

/// <summary>The append-only audit log: entries are only ever inserted; nothing here updates or deletes one.</summary>
public sealed class AuditLog
{
    private readonly ConsoleDatabase _db;
    private readonly TimeProvider _time;
    private readonly Lock _onceGate = new();

    public AuditLog(ConsoleDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        // Map the type now, on one thread, rather than on the first of two concurrent sign-ins.
        db.Database.Mapper.ToDocument(new AuditEntry());
    }

    private ILiteCollection<AuditEntry> Entries => _db.Database.GetCollection<AuditEntry>("audit");

    public AuditEntry Append(string actor, string action, string target, string? detail = null)
    {
        var entry = new AuditEntry { AtTicks = _time.GetUtcNow().UtcTicks, Actor = actor, Action = action, Target = target, Detail = detail };
        Entries.Insert(entry);
        return entry;
    }

    /// <summary>
    /// Appends unless the same actor already has this action on this target within the current hour:
    /// a player reads a clip in many ranges, and each read must be covered without flooding the log.
    /// </summary>
    public AuditEntry? AppendOncePerHour(string actor, string action, string target, string? detail = null)
    {
        var now = _time.GetUtcNow();
        var hourStart = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).UtcTicks;
        // Parallel range requests of one player would otherwise both see "not yet logged".
        lock (_onceGate)
        {
            if (Entries.Exists(e => e.Actor == actor && e.Action == action && e.Target == target && e.AtTicks >= hourStart))
            {
                return null;
            }

            return Append(actor, action, target, detail);
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<AuditEntry> Recent(int limit) =>
        Entries.Query().OrderByDescending(e => e.Id).Limit(limit).ToList();
}

/// <summary>One audit entry as stored; the id grows with every append.</summary>
public sealed class AuditEntry
{
    public int Id { get; set; }

    public long AtTicks { get; set; }

    public string Actor { get; set; } = "";

    public string Action { get; set; } = "";

    public string Target { get; set; } = "";

    public string? Detail { get; set; }

    public DateTimeOffset At => new(AtTicks, TimeSpan.Zero);
}
