using LiteDB;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Holds;

/// <summary>Where an evidence hold stands between the Console and its Recorder.</summary>
public enum HoldStatus
{
    /// <summary>Placed at the Console; not yet confirmed by the Recorder (it is sent again each time the Recorder connects).</summary>
    Requested,

    /// <summary>The Recorder confirmed it keeps the range.</summary>
    Held,

    /// <summary>Released at the Console; not yet confirmed by the Recorder.</summary>
    ReleaseRequested,

    /// <summary>The Recorder confirmed the release.</summary>
    Released,
}

/// <summary>One evidence hold of one site, as stored. Times are UTC ticks (LiteDB would return local DateTimes).</summary>
public sealed class HoldRecord
{
    /// <summary>32 hex digits; a clip's hold has the clip's id.</summary>
    public string Id { get; set; } = "";

    public string SiteId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long FromTicks { get; set; }

    public long ToTicks { get; set; }

    public string Reason { get; set; } = "";

    public string PlacedBy { get; set; } = "";

    public long PlacedAtTicks { get; set; }

    public HoldStatus Status { get; set; }

    public string? ReleasedBy { get; set; }

    public HoldRequested Request() =>
        new(Id, CameraId, new DateTimeOffset(FromTicks, TimeSpan.Zero), new DateTimeOffset(ToTicks, TimeSpan.Zero), Reason, PlacedBy);

    /// <summary>Sends the Recorder the request this hold waits on it for: to place it, or to release it.</summary>
    public Task SendTo(IRecorderClient recorder) =>
        Status == HoldStatus.Requested
            ? recorder.PlaceHold(Request())
            : recorder.ReleaseHold(new HoldReleaseRequested(Id, ReleasedBy ?? "?"));
}

/// <summary>
/// Evidence holds per site: those placed here (kept until the Recorder confirms them) and every hold the Recorder
/// reports placing or releasing (clip exports included), so the list is the Recorder's.
/// </summary>
public sealed class HoldStore : IIngestHandler
{
    private readonly ILiteCollection<HoldRecord> _holds;
    private readonly Lock _gate = new();

    public HoldStore(ConsoleDatabase database)
    {
        _holds = database.Database.GetCollection<HoldRecord>("holds");
        _holds.EnsureIndex(h => h.SiteId);
    }

    public HoldRecord Request(string siteId, HoldRequested request, DateTimeOffset now)
    {
        var record = NewRecord(siteId, request, now, HoldStatus.Requested);
        _holds.Insert(record);
        return record;
    }

    /// <summary>Marks the hold for release; false if it is released already.</summary>
    public bool RequestRelease(HoldRecord hold, string releasedBy)
    {
        lock (_gate)
        {
            if (hold.Status is HoldStatus.ReleaseRequested or HoldStatus.Released)
            {
                return false;
            }

            hold.Status = HoldStatus.ReleaseRequested;
            hold.ReleasedBy = releasedBy;
            _holds.Update(hold);
            return true;
        }
    }

    public HoldRecord? Find(string siteId, string holdId) => _holds.FindOne(h => h.Id == holdId && h.SiteId == siteId);

    /// <summary>The site's holds, newest first.</summary>
    public IReadOnlyList<HoldRecord> ForSite(string siteId) =>
        _holds.Find(h => h.SiteId == siteId).OrderByDescending(h => h.PlacedAtTicks).ToList();

    /// <summary>Requests the site's Recorder has not confirmed yet.</summary>
    public IReadOnlyList<HoldRecord> Pending(string siteId) =>
        _holds.Find(h => h.SiteId == siteId && (h.Status == HoldStatus.Requested || h.Status == HoldStatus.ReleaseRequested)).ToList();

    /// <summary>Applies the confirmations a Recorder sends through its outbox.</summary>
    public Task HandleAsync(IngestedEvent ingested)
    {
        if (ingested.Event is HoldPlaced placed)
        {
            Confirmed(ingested.SiteId, placed);
        }
        else if (ingested.Event is HoldReleased released)
        {
            Confirmed(ingested.SiteId, released);
        }

        return Task.CompletedTask;
    }

    /// <summary>Applies the Recorder's confirmation; idempotent, and a hold the Console did not place (a clip's) is added.</summary>
    public void Confirmed(string siteId, HoldPlaced placed)
    {
        lock (_gate)
        {
            var hold = Find(siteId, placed.HoldId);
            if (hold is null)
            {
                var request = new HoldRequested(placed.HoldId, placed.CameraId, placed.From, placed.To, placed.Reason, placed.PlacedBy);
                _holds.Insert(NewRecord(siteId, request, placed.OccurredAt, HoldStatus.Held));
            }
            else if (hold.Status == HoldStatus.Requested)
            {
                hold.Status = HoldStatus.Held;
                _holds.Update(hold);
            }
        }
    }

    public void Confirmed(string siteId, HoldReleased released)
    {
        lock (_gate)
        {
            if (Find(siteId, released.HoldId) is { } hold && hold.Status != HoldStatus.Released)
            {
                hold.Status = HoldStatus.Released;
                hold.ReleasedBy ??= released.ReleasedBy;
                _holds.Update(hold);
            }
        }
    }

    private static HoldRecord NewRecord(string siteId, HoldRequested request, DateTimeOffset placedAt, HoldStatus status) => new()
    {
        Id = request.HoldId,
        SiteId = siteId,
        CameraId = request.CameraId,
        FromTicks = request.From.UtcTicks,
        ToTicks = request.To.UtcTicks,
        Reason = request.Reason,
        PlacedBy = request.PlacedBy,
        PlacedAtTicks = placedAt.UtcTicks,
        Status = status,
    };
}
