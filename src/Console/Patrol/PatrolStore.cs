using LiteDB;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Patrol;

/// <summary>One camera a patrol stops at.</summary>
public sealed class PatrolStop
{
    public string SiteId { get; set; } = "";

    public string SiteName { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string CameraName { get; set; } = "";
}

/// <summary>What a supervisor recorded at a stop. A problem keeps the snapshot shown then (when the Console had one).</summary>
public sealed class PatrolFinding
{
    public int Number { get; set; }

    public int Stop { get; set; }

    public string SiteId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long AtTicks { get; set; }

    public string By { get; set; } = "";

    public string Verdict { get; set; } = "";

    public string Note { get; set; } = "";

    public string? SnapshotId { get; set; }

    public long? SnapshotTakenAtTicks { get; set; }
}

/// <summary>A video patrol as stored. Times are UTC ticks.</summary>
public sealed class PatrolRecord
{
    public string Id { get; set; } = "";

    public string StartedBy { get; set; } = "";

    public long StartedAtTicks { get; set; }

    public long? EndedAtTicks { get; set; }

    public int IntervalSeconds { get; set; }

    public List<PatrolStop> Stops { get; set; } = [];

    public List<PatrolFinding> Findings { get; set; } = [];
}

/// <summary>A kept snapshot of a problem finding.</summary>
public sealed class PatrolSnapshot
{
    public string Id { get; set; } = "";

    public byte[] Jpeg { get; set; } = [];
}

/// <summary>Patrols and their findings in the Console's LiteDB; a finding, once recorded, is never changed.</summary>
public sealed class PatrolStore(ConsoleDatabase database)
{
    private readonly Lock _lock = new();

    private ILiteCollection<PatrolRecord> Patrols => database.Database.GetCollection<PatrolRecord>("patrols");

    private ILiteCollection<PatrolSnapshot> Snapshots => database.Database.GetCollection<PatrolSnapshot>("patrol_snapshots");

    public PatrolRecord Start(string startedBy, int intervalSeconds, IReadOnlyList<PatrolStop> stops, DateTimeOffset now)
    {
        var patrol = new PatrolRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            StartedBy = startedBy,
            StartedAtTicks = now.UtcTicks,
            IntervalSeconds = intervalSeconds,
            Stops = [.. stops],
        };
        Patrols.Insert(patrol);
        return patrol;
    }

    public PatrolRecord? Find(string patrolId) => ClipUploads.IsValidId(patrolId) ? Patrols.FindById(patrolId) : null;

    /// <summary>Newest first, those whose every site the caller may see.</summary>
    public IReadOnlyList<PatrolRecord> List(Func<string, bool> maySee, int limit) =>
        [.. Patrols.Query().OrderByDescending(p => p.StartedAtTicks).ToEnumerable().Where(p => p.Stops.All(s => maySee(s.SiteId))).Take(limit)];

    /// <summary>Appends a finding (with its snapshot, if any); null when the patrol is unknown or has ended.</summary>
    public PatrolFinding? Record(string patrolId, PatrolFinding finding, byte[]? jpeg)
    {
        lock (_lock)
        {
            if (Find(patrolId) is not { EndedAtTicks: null } patrol)
            {
                return null;
            }

            finding.Number = patrol.Findings.Count + 1;
            if (jpeg is not null)
            {
                finding.SnapshotId = $"{patrol.Id}-{finding.Number}";
                Snapshots.Upsert(new PatrolSnapshot { Id = finding.SnapshotId, Jpeg = jpeg });
            }

            patrol.Findings.Add(finding);
            Patrols.Update(patrol);
            return finding;
        }
    }

    /// <summary>Ends a running patrol; false when it is unknown or already ended.</summary>
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
