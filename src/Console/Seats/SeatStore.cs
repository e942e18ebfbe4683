using LiteDB;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace ServiceHall.Console.Seats;

/// <summary>
/// Each site's windows as its Recorder last reported them, and the seat changes admins made, in LiteDB. A change
/// stays Pending until the Recorder answers it, or until it reports that seat in use (an answer lost on the way).
/// </summary>
public sealed class SeatStore
{
    private readonly ConsoleDatabase _db;
    private readonly TimeProvider _time;
    private readonly Lock _write = new();

    public SeatStore(ConsoleDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        db.Database.Mapper.ToDocument(new SiteWindowsRecord());
        db.Database.Mapper.ToDocument(new SeatChangeRecord());
        Changes.EnsureIndex(c => c.SiteId);
    }

    private ILiteCollection<SiteWindowsRecord> Sites => _db.Database.GetCollection<SiteWindowsRecord>("site_windows");

    private ILiteCollection<SeatChangeRecord> Changes => _db.Database.GetCollection<SeatChangeRecord>("seat_changes");

    public IReadOnlyList<WindowConfigured> Windows(string siteId) => Sites.FindById(siteId)?.Windows() ?? [];

    /// <summary>The hall's opening hours as its Recorder last reported them; null before a Recorder has reported them.</summary>
    public HallHours? Schedule(string siteId) => Sites.FindById(siteId)?.Schedule();

    /// <summary>Every site's reported windows (for department scopes).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<WindowConfigured>> AllWindows() =>
        Sites.FindAll().ToDictionary(s => s.Id, s => s.Windows(), StringComparer.Ordinal);

    /// <summary>Stores a Recorder's report; pending changes it shows in use become Applied; returns those still to be sent.</summary>
    public IReadOnlyList<SeatChangeRecord> Reported(string siteId, WindowsReported report)
    {
        lock (_write)
        {
            var now = _time.GetUtcNow();
            Sites.Upsert(new SiteWindowsRecord
            {
                Id = siteId,
                WindowsJson = JsonSerializer.Serialize(report.Windows, WireJson.Options),
                ScheduleJson = report.Schedule is null ? null : JsonSerializer.Serialize(report.Schedule, WireJson.Options),
                ReportedAtTicks = now.UtcTicks,
            });
            var unsent = new List<SeatChangeRecord>();
            foreach (var change in Pending(siteId))
            {
                var window = report.Windows.FirstOrDefault(w => w.CameraId == change.CameraId && w.WindowId == change.WindowId);
                if (window is not null && SeatPolygon.SameAs(window.Seat, change.Polygon()))
                {
                    Answer(change, applied: true, null, now);
                }
                else
                {
                    unsent.Add(change);
                }
            }

            return unsent;
        }
    }

    /// <summary>Records an admin's seat change as Pending; an older pending change of the same window is superseded.</summary>
    public SeatChangeRecord Request(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy)
    {
        lock (_write)
        {
            var now = _time.GetUtcNow();
            foreach (var older in Pending(siteId).Where(c => c.CameraId == cameraId && c.WindowId == windowId))
            {
                Answer(older, applied: false, "superseded by a later change", now);
            }

            var change = new SeatChangeRecord
            {
                Id = Guid.NewGuid().ToString("N"),
                SiteId = siteId,
                CameraId = cameraId,
                WindowId = windowId,
                SeatJson = JsonSerializer.Serialize(seat),
                State = SeatChangeStates.Pending,
                RequestedBy = requestedBy,
                RequestedAtTicks = now.UtcTicks,
            };
            Changes.Insert(change);
            return change;
        }
    }

    /// <summary>The Recorder's answer; false if the change is unknown, of another site, or already answered.</summary>
    public bool Answered(string siteId, SeatChangeApplied result)
    {
        lock (_write)
        {
            var change = Changes.FindById(result.ChangeId);
            if (change is null || change.SiteId != siteId || change.State != SeatChangeStates.Pending)
            {
                return false;
            }

            Answer(change, result.Applied, result.Applied ? null : result.Reason ?? "refused by the Recorder", _time.GetUtcNow());
            return true;
        }
    }

    /// <summary>The site as supervisors see it: reported windows, and each window's latest seat change.</summary>
    public SiteSeatsChanged View(string siteId)
    {
        var site = Sites.FindById(siteId);
        var latest = Changes.Find(c => c.SiteId == siteId)
            .GroupBy(c => (c.CameraId, c.WindowId))
            .Select(g => g.OrderByDescending(c => c.RequestedAtTicks).First().View())
            .OrderBy(c => c.WindowId, StringComparer.Ordinal)
            .ToList();
        return new SiteSeatsChanged(siteId, site is null ? null : new DateTimeOffset(site.ReportedAtTicks, TimeSpan.Zero), site?.Windows() ?? [], latest);
    }

    private List<SeatChangeRecord> Pending(string siteId) =>
        [.. Changes.Find(c => c.SiteId == siteId && c.State == SeatChangeStates.Pending).OrderBy(c => c.RequestedAtTicks)];

    private void Answer(SeatChangeRecord change, bool applied, string? reason, DateTimeOffset at)
    {
        change.State = applied ? SeatChangeStates.Applied : SeatChangeStates.Refused;
        change.Reason = reason;
        change.AnsweredAtTicks = at.UtcTicks;
        Changes.Update(change);
    }
}

/// <summary>A site's windows as last reported, kept as their wire JSON.</summary>
public sealed class SiteWindowsRecord
{
    public string Id { get; set; } = "";

    public string WindowsJson { get; set; } = "[]";

    public string? ScheduleJson { get; set; }

    public long ReportedAtTicks { get; set; }

    public IReadOnlyList<WindowConfigured> Windows() => JsonSerializer.Deserialize<List<WindowConfigured>>(WindowsJson, WireJson.Options) ?? [];

    public HallHours? Schedule() => ScheduleJson is null ? null : JsonSerializer.Deserialize<HallHours>(ScheduleJson, WireJson.Options);
}

/// <summary>One seat change an admin made.</summary>
public sealed class SeatChangeRecord
{
    public string Id { get; set; } = "";

    public string SiteId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string WindowId { get; set; } = "";

    public string SeatJson { get; set; } = "[]";

    public string State { get; set; } = SeatChangeStates.Pending;

    public string RequestedBy { get; set; } = "";

    public long RequestedAtTicks { get; set; }

    public long? AnsweredAtTicks { get; set; }

    public string? Reason { get; set; }

    public List<double[]> Polygon() => JsonSerializer.Deserialize<List<double[]>>(SeatJson) ?? [];

    public SeatChangeRequested Request() => new(Id, CameraId, WindowId, Polygon(), RequestedBy);

    public SeatChangeView View() => new(
        Id, CameraId, WindowId, Polygon(), State, RequestedBy, new DateTimeOffset(RequestedAtTicks, TimeSpan.Zero),
        AnsweredAtTicks is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : null, Reason);
}
