using System.Globalization;
using LiteDB;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Attendance;

/// <summary>One window's closed day as its Recorder counted it: only scheduled time, unknown time never absence.</summary>
public sealed class LedgerDay
{
    /// <summary>site/day/window, so one site's day is one prefix.</summary>
    public string Id { get; set; } = "";

    public string SiteId { get; set; } = "";

    public string WindowId { get; set; } = "";

    /// <summary>The hall's local date, yyyy-MM-dd.</summary>
    public string Day { get; set; } = "";

    public double ScheduledSeconds { get; set; }

    public double StaffedSeconds { get; set; }

    public double AwaySeconds { get; set; }

    public double UnstaffedSeconds { get; set; }

    public double UnknownSeconds { get; set; }

    /// <summary>Staffed time the clerk sat motionless (0 from Recorders older than the measure).</summary>
    public double InactiveSeconds { get; set; }

    public int Absences { get; set; }
}

/// <summary>
/// The Console's attendance ledger: each <see cref="AttendanceDayClosed"/> a Recorder sends is folded in (a day sent
/// again replaces the earlier copy). A ledger lost or new is rebuilt from the stored events on start. The days are
/// kept by an <see cref="ILedgerStore"/> (the LiteDB file, or PostgreSQL shared by several nodes).
/// </summary>
public sealed class AttendanceLedger : IIngestHandler
{
    private readonly ILedgerStore _days;

    public AttendanceLedger(ILedgerStore days, IEventStore events)
    {
        _days = days;
        if (days.IsEmpty())
        {
            foreach (var record in events.OfType(nameof(AttendanceDayClosed)))
            {
                Fold(record.SiteId, (AttendanceDayClosed)record.ToEvent());
            }
        }
    }

    public static string Key(string siteId, string day, string windowId) => $"{siteId}/{day}/{windowId}";

    public Task HandleAsync(IngestedEvent ingested)
    {
        if (ingested.Event is AttendanceDayClosed closed)
        {
            Fold(ingested.SiteId, closed);
        }

        return Task.CompletedTask;
    }

    public void Fold(string siteId, AttendanceDayClosed closed) => _days.Save(new LedgerDay
    {
        Id = Key(siteId, closed.Day, closed.WindowId),
        SiteId = siteId,
        WindowId = closed.WindowId,
        Day = closed.Day,
        ScheduledSeconds = closed.ScheduledSeconds,
        StaffedSeconds = closed.StaffedSeconds,
        AwaySeconds = closed.AwaySeconds,
        UnstaffedSeconds = closed.UnstaffedSeconds,
        UnknownSeconds = closed.UnknownSeconds,
        InactiveSeconds = closed.InactiveSeconds ?? 0,
        Absences = closed.Absences.Count,
    });

    /// <summary>The closed windows of one site's local day, by window.</summary>
    public IReadOnlyList<LedgerDay> ForDay(string siteId, DateOnly day) => _days.ForDay(siteId, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>Where the ledger's closed days are kept: one row per site, local day and window.</summary>
public interface ILedgerStore
{
    bool IsEmpty();

    /// <summary>Stores the day, replacing an earlier copy of the same site, day and window.</summary>
    void Save(LedgerDay day);

    /// <summary>The closed windows of one site's local day (yyyy-MM-dd), by window id.</summary>
    IReadOnlyList<LedgerDay> ForDay(string siteId, string day);
}

/// <summary>The ledger's days in the LiteDB file; keys are site/day/window, so one site's day is one key prefix.</summary>
public sealed class LiteDbLedgerStore(ConsoleDatabase database) : ILedgerStore
{
    private ILiteCollection<LedgerDay> Days => database.Database.GetCollection<LedgerDay>("attendance_days");

    public bool IsEmpty() => Days.Count() == 0;

    public void Save(LedgerDay day) => Days.Upsert(day);

    public IReadOnlyList<LedgerDay> ForDay(string siteId, string day) =>
        [.. Days.Find(Query.StartsWith("_id", AttendanceLedger.Key(siteId, day, ""))).OrderBy(d => d.Id, StringComparer.Ordinal)];
}
