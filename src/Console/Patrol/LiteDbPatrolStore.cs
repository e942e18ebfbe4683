using LiteDB;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Patrol;

/// <summary>Patrols and their findings in the LiteDB file; one lock numbers findings in this process.</summary>
public sealed class LiteDbPatrolStore(ConsoleDatabase database) : IPatrolStore
{
    private readonly Lock _lock = new();

    private ILiteCollection<PatrolRecord> Patrols => database.Database.GetCollection<PatrolRecord>("patrols");

    private ILiteCollection<PatrolSnapshot> Snapshots => database.Database.GetCollection<PatrolSnapshot>("patrol_snapshots");

    public PatrolRecord Start(string startedBy, int intervalSeconds, IReadOnlyList<PatrolStop> stops, DateTimeOffset now)
    {
        var patrol = PatrolRecord.New(startedBy, intervalSeconds, stops, now);
        Patrols.Insert(patrol);
        return patrol;
    }

    public PatrolRecord? Find(string patrolId) => ClipUploads.IsValidId(patrolId) ? Patrols.FindById(patrolId) : null;

    public IReadOnlyList<PatrolRecord> List(Func<string, bool> maySee, int limit) =>
        [.. Patrols.Query().OrderByDescending(p => p.StartedAtTicks).ToEnumerable().Where(p => p.Visible(maySee)).Take(limit)];

    public PatrolFinding? Record(string patrolId, PatrolFinding finding, byte[]? jpeg)
    {
        lock (_lock)
        {
            if (Find(patrolId) is not { EndedAtTicks: null } patrol)
            {
                return null;
            }

            patrol.Number(finding, jpeg is not null);
            if (jpeg is not null)
            {
                Snapshots.Upsert(new PatrolSnapshot { Id = finding.SnapshotId!, Jpeg = jpeg });
            }

            patrol.Findings.Add(finding);
            Patrols.Update(patrol);
            return finding;
        }
    }

    public bool End(string patrolId, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (Find(patrolId) is not { EndedAtTicks: null } patrol)
            {
                return false;
            }

            patrol.EndedAtTicks = now.UtcTicks;
            Patrols.Update(patrol);
            return true;
        }
    }

    public byte[]? Snapshot(string snapshotId) => Snapshots.FindById(snapshotId)?.Jpeg;
}
