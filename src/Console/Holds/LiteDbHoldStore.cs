using LiteDB;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Holds;

/// <summary>Evidence holds in the LiteDB file; one lock makes each change atomic in this process.</summary>
public sealed class LiteDbHoldStore : HoldStore
{
    private readonly ILiteCollection<HoldRecord> _holds;
    private readonly Lock _gate = new();

    public LiteDbHoldStore(ConsoleDatabase database)
    {
        _holds = database.Database.GetCollection<HoldRecord>("holds");
        _holds.EnsureIndex(h => h.SiteId);
    }

    public override HoldRecord Request(string siteId, HoldRequested request, DateTimeOffset now)
    {
        var record = NewRecord(siteId, request, now, HoldStatus.Requested);
        _holds.Insert(record);
        return record;
    }

    public override bool RequestRelease(HoldRecord hold, string releasedBy)
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

    public override HoldRecord? Find(string siteId, string holdId) => _holds.FindOne(h => h.Id == holdId && h.SiteId == siteId);

    public override IReadOnlyList<HoldRecord> ForSite(string siteId) =>
        _holds.Find(h => h.SiteId == siteId).OrderByDescending(h => h.PlacedAtTicks).ToList();

    public override IReadOnlyList<HoldRecord> Pending(string siteId) =>
        _holds.Find(h => h.SiteId == siteId && (h.Status == HoldStatus.Requested || h.Status == HoldStatus.ReleaseRequested)).ToList();

    public override void Confirmed(string siteId, HoldPlaced placed)
    {
        lock (_gate)
        {
            var hold = Find(siteId, placed.HoldId);
            if (hold is null)
            {
                _holds.Insert(PlacedElsewhere(siteId, placed));
            }
            else if (hold.Status == HoldStatus.Requested)
            {
                hold.Status = HoldStatus.Held;
                _holds.Update(hold);
            }
        }
    }

    public override void Confirmed(string siteId, HoldReleased released)
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
}
