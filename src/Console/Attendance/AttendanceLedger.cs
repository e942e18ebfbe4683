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
/// again replaces the earlier copy). A ledger lost or new is rebuilt from the stored events on start.
/// </summary>
public sealed class AttendanceLedger : IIngestHandler
{
    private readonly ILiteCollection<LedgerDay> _days;

    public AttendanceLedger(ConsoleDatabase database, IEventStore events)
    {
        _days = database.Database.GetCollection<LedgerDay>("attendance_days");
        if (_days.Count() == 0)
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

    public void Fold(string siteId, AttendanceDayClosed closed) => _days.Upsert(new LedgerDay
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

    /// <summary>The closed windows of one site's local day.</summary>
    public IReadOnlyList<LedgerDay> ForDay(string siteId, DateOnly day) =>
        _days.Find(Query.StartsWith("_id", Key(siteId, day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ""))).ToList();
}
