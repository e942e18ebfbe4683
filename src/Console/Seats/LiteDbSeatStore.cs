using LiteDB;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Seats;

/// <summary>Reported windows and seat changes in the LiteDB file; one lock makes each step atomic in this process.</summary>
public sealed class LiteDbSeatStore : SeatStore
{
    private readonly ConsoleDatabase _db;
    private readonly TimeProvider _time;
    private readonly Lock _write = new();

    public LiteDbSeatStore(ConsoleDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        db.Database.Mapper.ToDocument(new SiteWindowsRecord());
        db.Database.Mapper.ToDocument(new SeatChangeRecord());
        Changes.EnsureIndex(c => c.SiteId);
    }

    private ILiteCollection<SiteWindowsRecord> Sites => _db.Database.GetCollection<SiteWindowsRecord>("site_windows");

    private ILiteCollection<SeatChangeRecord> Changes => _db.Database.GetCollection<SeatChangeRecord>("seat_changes");

    public override IReadOnlyList<WindowConfigured> Windows(string siteId) => Sites.FindById(siteId)?.Windows() ?? [];

    public override HallHours? Schedule(string siteId) => Sites.FindById(siteId)?.Schedule();

    public override IReadOnlyDictionary<string, IReadOnlyList<WindowConfigured>> AllWindows() =>
        Sites.FindAll().ToDictionary(s => s.Id, s => s.Windows(), StringComparer.Ordinal);

    public override IReadOnlyList<SeatChangeRecord> Reported(string siteId, WindowsReported report)
    {
        lock (_write)
        {
            var now = _time.GetUtcNow();
            Sites.Upsert(Report(siteId, report, now));
            var unsent = new List<SeatChangeRecord>();
            foreach (var change in Pending(siteId))
            {
                if (InUse(change, report))
                {
                    Answer(change, applied: true, null, now);
                    Changes.Update(change);
                }
                else
                {
                    unsent.Add(change);
                }
            }

            return unsent;
        }
    }

    public override SeatChangeRecord Request(string siteId, string cameraId, string windowId, IReadOnlyList<double[]> seat, string requestedBy)
    {
        lock (_write)
        {
            var now = _time.GetUtcNow();
            foreach (var older in Pending(siteId).Where(c => c.CameraId == cameraId && c.WindowId == windowId))
            {
                Answer(older, applied: false, Superseded, now);
                Changes.Update(older);
            }

            var change = NewChange(siteId, cameraId, windowId, seat, requestedBy, now);
            Changes.Insert(change);
            return change;
        }
    }

    public override bool Answered(string siteId, SeatChangeApplied result)
    {
        lock (_write)
        {
            var change = Changes.FindById(result.ChangeId);
            if (change is null || change.SiteId != siteId || change.State != SeatChangeStates.Pending)
            {
                return false;
            }

            Answer(change, result.Applied, ReasonOf(result), _time.GetUtcNow());
            Changes.Update(change);
            return true;
        }
    }

    public override SiteSeatsChanged View(string siteId) => View(siteId, Sites.FindById(siteId), Changes.Find(c => c.SiteId == siteId));

    private List<SeatChangeRecord> Pending(string siteId) =>
        [.. Changes.Find(c => c.SiteId == siteId && c.State == SeatChangeStates.Pending).OrderBy(c => c.RequestedAtTicks)];
}
