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

    /// <summary>A patrol just started, with a fresh id.</summary>
    public static PatrolRecord New(string startedBy, int intervalSeconds, IReadOnlyList<PatrolStop> stops, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        StartedBy = startedBy,
        StartedAtTicks = now.UtcTicks,
        IntervalSeconds = intervalSeconds,
        Stops = [.. stops],
    };

    /// <summary>Numbers <paramref name="finding"/> as the patrol's next and names its snapshot when it has one.</summary>
    public void Number(PatrolFinding finding, bool withSnapshot)
    {
        finding.Number = Findings.Count + 1;
        finding.SnapshotId = withSnapshot ? $"{Id}-{finding.Number}" : null;
    }

    /// <summary>Whether every site of the patrol may be seen by the caller.</summary>
    public bool Visible(Func<string, bool> maySee) => Stops.All(s => maySee(s.SiteId));
}

/// <summary>A kept snapshot of a problem finding.</summary>
public sealed class PatrolSnapshot
{
    public string Id { get; set; } = "";

    public byte[] Jpeg { get; set; } = [];
}

/// <summary>Patrols and their findings; a finding, once recorded, is never changed.</summary>
public interface IPatrolStore
{
    PatrolRecord Start(string startedBy, int intervalSeconds, IReadOnlyList<PatrolStop> stops, DateTimeOffset now);

    PatrolRecord? Find(string patrolId);

    /// <summary>Newest first, those whose every site the caller may see.</summary>
    IReadOnlyList<PatrolRecord> List(Func<string, bool> maySee, int limit);

    /// <summary>Appends a finding (with its snapshot, if any); null when the patrol is unknown or has ended.</summary>
    PatrolFinding? Record(string patrolId, PatrolFinding finding, byte[]? jpeg);

    /// <summary>Ends a running patrol; false when it is unknown or already ended.</summary>
    bool End(string patrolId, DateTimeOffset now);

    byte[]? Snapshot(string snapshotId);
}
