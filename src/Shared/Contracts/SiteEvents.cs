using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>
/// Something that happened at a hall, recorded at the edge and delivered to the Console at least once
/// (the outbox gives each one an id and a per-site sequence). The JSON carries a "type" discriminator,
/// so an old Console refuses an unknown event type instead of misreading it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(WindowStaffed), nameof(WindowStaffed))]
[JsonDerivedType(typeof(WindowVacated), nameof(WindowVacated))]
[JsonDerivedType(typeof(WindowUnstaffed), nameof(WindowUnstaffed))]
[JsonDerivedType(typeof(WindowRestaffed), nameof(WindowRestaffed))]
[JsonDerivedType(typeof(WindowUnknown), nameof(WindowUnknown))]
[JsonDerivedType(typeof(ClerkInactive), nameof(ClerkInactive))]
[JsonDerivedType(typeof(ClerkActive), nameof(ClerkActive))]
[JsonDerivedType(typeof(CameraLost), nameof(CameraLost))]
[JsonDerivedType(typeof(CameraRegained), nameof(CameraRegained))]
[JsonDerivedType(typeof(CameraTampered), nameof(CameraTampered))]
[JsonDerivedType(typeof(CameraTamperCleared), nameof(CameraTamperCleared))]
[JsonDerivedType(typeof(RecordingGap), nameof(RecordingGap))]
[JsonDerivedType(typeof(DiskLow), nameof(DiskLow))]
[JsonDerivedType(typeof(AttendanceDayClosed), nameof(AttendanceDayClosed))]
[JsonDerivedType(typeof(HoldPlaced), nameof(HoldPlaced))]
[JsonDerivedType(typeof(HoldReleased), nameof(HoldReleased))]
public abstract record SiteEvent
{
    /// <summary>When it happened: video time for occupancy, wall time of the Recorder otherwise (UTC).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    public required string CameraId { get; init; }
}

/// <summary>An event about one service window: occupancy changes and the window's closed attendance day.</summary>
public abstract record WindowEvent : SiteEvent
{
    /// <summary>Written first after the type, where it stood before this base existed (the wire shape is pinned).</summary>
    [JsonPropertyOrder(-1)]
    public required string WindowId { get; init; }
}

/// <summary>A window's seat is occupied again after the entry debounce.</summary>
public sealed record WindowStaffed : WindowEvent
{
    /// <summary>The first frame that showed the person (before the entry debounce); absent from older Recorders.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ArrivedAt { get; init; }
}

/// <summary>Nobody at the seat for longer than the exit debounce.</summary>
public sealed record WindowVacated : WindowEvent
{
    /// <summary>The first empty frame (before the exit debounce); absent from older Recorders.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? AwaySince { get; init; }

    /// <summary>The last frame that showed someone at the seat (see <see cref="AbsenceTimes"/>); absent from older Recorders and when nobody was ever seen.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastSeenAt { get; init; }
}

/// <summary>Away longer than the leave threshold while the schedule says the window is open: this raises the alert.</summary>
public sealed record WindowUnstaffed : WindowEvent
{
    /// <summary>Since when the seat has been empty (the first empty frame; the attendance ledger counts from it).</summary>
    public required DateTimeOffset AwaySince { get; init; }

    /// <summary>The last frame that showed someone at the seat; absent from older Recorders and when nobody was ever seen.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastSeenAt { get; init; }

    /// <summary>When the exit debounce confirmed the seat empty (the <see cref="WindowVacated"/> time); absent from older Recorders.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? VacatedAt { get; init; }
}

/// <summary>Someone is back at a window that was unstaffed: this resolves the alert.</summary>
public sealed record WindowRestaffed : WindowEvent
{
    public required DateTimeOffset AwaySince { get; init; }

    /// <summary>The ended absence's moments (see <see cref="AbsenceTimes"/>); absent from older Recorders.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastSeenAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? VacatedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? UnstaffedAt { get; init; }

    /// <summary>The first frame that showed the person back; absent from older Recorders.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ArrivedAt { get; init; }
}

/// <summary>No frames to judge the window by (camera or Recorder down): never counted as absence.</summary>
public sealed record WindowUnknown : WindowEvent
{
    public required string Reason { get; init; }
}

/// <summary>
/// The clerk at a staffed window has not moved for the window's inactive threshold during opening hours (head down on
/// the desk, asleep, motionless): this raises the alert. <see cref="SiteEvent.OccurredAt"/> is when the threshold passed.
/// </summary>
public sealed record ClerkInactive : WindowEvent
{
    /// <summary>The last analysed frame that showed movement at the seat; the inactive time counts from it.</summary>
    public required DateTimeOffset InactiveSince { get; init; }
}

/// <summary>Why an inactive clerk's stretch ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InactivityEnd>))]
public enum InactivityEnd
{
    /// <summary>The clerk moved.</summary>
    Moved,

    /// <summary>The clerk left the seat (the window became Away).</summary>
    Left,

    /// <summary>Opening hours ended.</summary>
    Closed,

    /// <summary>No frames (camera or Recorder down): the window became Unknown.</summary>
    NoFrames,
}

/// <summary>
/// A <see cref="ClerkInactive"/> stretch ended at <see cref="SiteEvent.OccurredAt"/>: this resolves the alert, and the
/// attendance ledger counts [<see cref="InactiveSince"/>, <see cref="SiteEvent.OccurredAt"/>) within opening hours as inactive.
/// </summary>
public sealed record ClerkActive : WindowEvent
{
    public required DateTimeOffset InactiveSince { get; init; }

    public required InactivityEnd Reason { get; init; }
}

/// <summary>A camera stopped delivering frames (connection lost or stalled).</summary>
public sealed record CameraLost : SiteEvent
{
    public required string Reason { get; init; }
}

/// <summary>A camera delivers frames again.</summary>
public sealed record CameraRegained : SiteEvent
{
    public required int Width { get; init; }

    public required int Height { get; init; }
}

/// <summary>What a camera's picture suggests someone did to it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TamperKind>))]
public enum TamperKind
{
    /// <summary>Lens covered or picture black (almost no light or no detail).</summary>
    Covered,

    /// <summary>Picture heavily out of focus or smeared.</summary>
    Blurred,

    /// <summary>The view no longer matches the camera's reference view.</summary>
    Moved,
}

/// <summary>The camera's picture was covered, blurred or moved for longer than the tamper debounce.</summary>
public sealed record CameraTampered : SiteEvent
{
    public required TamperKind Kind { get; init; }

    /// <summary>The measure that tripped, for people (e.g. "mean brightness 3, contrast 1").</summary>
    public required string Detail { get; init; }
}

/// <summary>The picture is normal again after a <see cref="CameraTampered"/>.</summary>
public sealed record CameraTamperCleared : SiteEvent
{
    public required TamperKind Kind { get; init; }
}

/// <summary>A stretch of time with no recording of the camera (camera down, Recorder down, disk trouble).</summary>
public sealed record RecordingGap : SiteEvent
{
    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public required string Cause { get; init; }
}

/// <summary>Recording space is short: retention cannot free enough because the rest is on evidence hold. <see cref="SiteEvent.CameraId"/> is the camera whose held recordings take the most space.</summary>
public sealed record DiskLow : SiteEvent
{
    public required long FreeBytes { get; init; }

    public required long RecordingBytes { get; init; }

    public required long HeldBytes { get; init; }

    public required string Reason { get; init; }
}

/// <summary>The Recorder now keeps the camera's segments over [From, To) whatever retention says (placed by hand or by a clip export).</summary>
public sealed record HoldPlaced : SiteEvent
{
    public required string HoldId { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public required string Reason { get; init; }

    public required string PlacedBy { get; init; }
}

/// <summary>The Recorder no longer holds the range (also sent for a hold it did not have, so a release is always confirmed).</summary>
public sealed record HoldReleased : SiteEvent
{
    public required string HoldId { get; init; }

    public required string ReleasedBy { get; init; }
}

/// <summary>
/// One window's attendance for one local day of the hall, sent when the day is over, so the Console can rebuild
/// its ledger from events alone. Seconds count only scheduled time; unknown seconds are never absence.
/// </summary>
public sealed record AttendanceDayClosed : WindowEvent
{
    /// <summary>The hall's local date, yyyy-MM-dd.</summary>
    public required string Day { get; init; }

    public required double ScheduledSeconds { get; init; }

    public required double StaffedSeconds { get; init; }

    /// <summary>Empty seat, within the leave threshold.</summary>
    public required double AwaySeconds { get; init; }

    /// <summary>Empty seat beyond the leave threshold while open.</summary>
    public required double UnstaffedSeconds { get; init; }

    /// <summary>Scheduled time without frames (camera or Recorder down).</summary>
    public required double UnknownSeconds { get; init; }

    /// <summary>
    /// Staffed time the clerk sat motionless in stretches that reached the inactive threshold (from the last movement,
    /// within opening hours; part of <see cref="StaffedSeconds"/>). Absent from older Recorders.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? InactiveSeconds { get; init; }

    public DateTimeOffset? FirstArrival { get; init; }

    public DateTimeOffset? LastDeparture { get; init; }

    public required IReadOnlyList<AbsenceEpisode> Absences { get; init; }
}

/// <summary>One confirmed absence from a seat: [Start, End), and how much of it fell in opening hours.</summary>
public sealed record AbsenceEpisode(DateTimeOffset Start, DateTimeOffset End, double ScheduledSeconds);
