namespace ServiceHall.Console.Review;

/// <summary>A clip kept as evidence for a complaint, as stored. Times are UTC ticks.</summary>
public sealed class CaseRecord
{
    public string Id { get; set; } = "";

    public string ClipId { get; set; } = "";

    public string SiteId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long FromTicks { get; set; }

    public long ToTicks { get; set; }

    public string Reason { get; set; } = "";

    public string KeptBy { get; set; } = "";

    public long KeptAtTicks { get; set; }

    public string Sha256 { get; set; } = "";

    /// <summary>A new case of <paramref name="clip"/>, with a fresh id.</summary>
    public static CaseRecord Of(ClipRecord clip, string sha256, string reason, string keptBy, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        ClipId = clip.Id,
        SiteId = clip.SiteId,
        CameraId = clip.CameraId,
        FromTicks = clip.FromTicks,
        ToTicks = clip.ToTicks,
        Reason = reason,
        KeptBy = keptBy,
        KeptAtTicks = now.UtcTicks,
        Sha256 = sha256,
    };

    public CaseView View() => new(
        Id, ClipId, SiteId, CameraId, new DateTimeOffset(FromTicks, TimeSpan.Zero), new DateTimeOffset(ToTicks, TimeSpan.Zero), Reason, KeptBy,
        new DateTimeOffset(KeptAtTicks, TimeSpan.Zero), Sha256);
}

/// <summary>A case for the UI and inside the package's <c>case.json</c>.</summary>
public sealed record CaseView(
    string CaseId, string ClipId, string SiteId, string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason, string KeptBy, DateTimeOffset KeptAt, string Sha256);

/// <summary>Cases kept as evidence: inserted once, never changed; the clip file they point at is the evidence.</summary>
public interface ICaseStore
{
    /// <summary>Stores the case with <paramref name="sha256"/>, the clip file's hash at this moment: every package is checked against it.</summary>
    CaseRecord Keep(ClipRecord clip, string sha256, string reason, string keptBy, DateTimeOffset now);

    CaseRecord? Find(string caseId);

    /// <summary>Newest first, of the sites the caller may see.</summary>
    IReadOnlyList<CaseRecord> List(Func<string, bool> maySee, int limit);
}
