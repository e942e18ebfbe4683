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
public interface IHoldStore : IIngestHandler
{
    HoldRecord Request(string siteId, HoldRequested request, DateTimeOffset now);

    /// <summary>Marks the hold for release; false if it is released already.</summary>
    bool RequestRelease(HoldRecord hold, string releasedBy);

    HoldRecord? Find(string siteId, string holdId);

    /// <summary>The site's holds, newest first.</summary>
    IReadOnlyList<HoldRecord> ForSite(string siteId);

    /// <summary>Requests the site's Recorder has not confirmed yet.</summary>
    IReadOnlyList<HoldRecord> Pending(string siteId);

    /// <summary>Applies the Recorder's confirmation; idempotent, and a hold the Console did not place (a clip's) is added.</summary>
    void Confirmed(string siteId, HoldPlaced placed);

    void Confirmed(string siteId, HoldReleased released);
}

/// <summary>What both providers share: the confirmations taken from ingest, and a hold as first stored.</summary>
public abstract class HoldStore : IHoldStore
{
    public abstract HoldRecord Request(string siteId, HoldRequested request, DateTimeOffset now);

    public abstract bool RequestRelease(HoldRecord hold, string releasedBy);

    public abstract HoldRecord? Find(string siteId, string holdId);

    public abstract IReadOnlyList<HoldRecord> ForSite(string siteId);

    public abstract IReadOnlyList<HoldRecord> Pending(string siteId);

    public abstract void Confirmed(string siteId, HoldPlaced placed);

    public abstract void Confirmed(string siteId, HoldReleased released);

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

    /// <summary>The hold a Recorder confirmed that this Console did not place (a clip's), as first stored: already held.</summary>
    protected static HoldRecord PlacedElsewhere(string siteId, HoldPlaced placed) =>
        NewRecord(siteId, new HoldRequested(placed.HoldId, placed.CameraId, placed.From, placed.To, placed.Reason, placed.PlacedBy), placed.OccurredAt, HoldStatus.Held);

    protected static HoldRecord NewRecord(string siteId, HoldRequested request, DateTimeOffset placedAt, HoldStatus status) => new()
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
