using ServiceHall.Shared.Contracts;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace ServiceHall.Console.Seats;

/// <summary>
/// The seat store's rules, whatever holds the rows: what a report applies, what a new change supersedes, how an
/// answer is recorded and what supervisors see. Each provider keeps the rows and makes each step atomic for a site.
/// </summary>
public abstract class SeatStore : ISeatStore
{
    public const string Superseded = "superseded by a later change";

    public abstract IReadOnlyList<WindowConfigured> Windows(string siteId);

    public abstract HallHours? Schedule(string siteId);

    public abstract IReadOnlyDictionary<string, IReadOnlyList<WindowConfigured>> AllWindows();

    public abstract IReadOnlyList<SeatChangeRecord> Reported(string siteId, WindowsReported report);

    public abstract SeatChangeRecord Request(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy);

    public abstract bool Answered(string siteId, SeatChangeApplied result);

    public abstract SiteSeatsChanged View(string siteId);

    /// <summary>A report as stored: the wire JSON of its windows and schedule.</summary>
    protected static SiteWindowsRecord Report(string siteId, WindowsReported report, DateTimeOffset now) => new()
    {
        Id = siteId,
        WindowsJson = JsonSerializer.Serialize(report.Windows, WireJson.Options),
        ScheduleJson = report.Schedule is null ? null : JsonSerializer.Serialize(report.Schedule, WireJson.Options),
        ReportedAtTicks = now.UtcTicks,
    };

    /// <summary>Whether <paramref name="report"/> shows <paramref name="change"/>'s seat in use (it was applied).</summary>
    protected static bool InUse(SeatChangeRecord change, WindowsReported report) =>
        report.Windows.FirstOrDefault(w => w.CameraId == change.CameraId && w.WindowId == change.WindowId) is { } window
        && SeatPolygon.SameAs(window.Seat, change.Polygon());

    protected static SeatChangeRecord NewChange(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy, DateTimeOffset now) => new()
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

    /// <summary>The reason stored with the Recorder's answer: none when applied, its own or a default when refused.</summary>
    protected static string? ReasonOf(SeatChangeApplied result) => result.Applied ? null : result.Reason ?? "refused by the Recorder";

    protected static void Answer(SeatChangeRecord change, bool applied, string? reason, DateTimeOffset at)
    {
        change.State = applied ? SeatChangeStates.Applied : SeatChangeStates.Refused;
        change.Reason = reason;
        change.AnsweredAtTicks = at.UtcTicks;
    }

    protected static SiteSeatsChanged View(string siteId, SiteWindowsRecord? site, IEnumerable<SeatChangeRecord> changes)
    {
        var latest = changes
            .GroupBy(c => (c.CameraId, c.WindowId))
            .Select(g => g.OrderByDescending(c => c.RequestedAtTicks).First().View())
            .OrderBy(c => c.WindowId, StringComparer.Ordinal)
            .ToList();
        return new SiteSeatsChanged(siteId, site is null ? null : new DateTimeOffset(site.ReportedAtTicks, TimeSpan.Zero), site?.Windows() ?? [], latest);
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
