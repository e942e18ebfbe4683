using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>Alert type names as they travel (strings, so an older screen shows a newer type instead of failing).</summary>
public static class AlertTypes
{
    public const string WindowUnstaffed = "WindowUnstaffed";
    public const string ClerkInactive = "ClerkInactive";
    public const string CameraDown = "CameraDown";
    public const string CameraTampered = "CameraTampered";
    public const string RecorderOffline = "RecorderOffline";
    public const string DiskLow = "DiskLow";
    public const string ClockSkew = "ClockSkew";

    /// <summary>A kept clip's file no longer has the SHA-256 recorded when its case was kept.</summary>
    public const string EvidenceTampered = "EvidenceTampered";

    /// <summary>The Console rejected events of the site for good; its Recorder keeps them parked.</summary>
    public const string EventsParked = "EventsParked";
}

/// <summary>An alert's lifecycle: open, then acknowledged by a person, then resolved (by itself or by hand).</summary>
public static class AlertStates
{
    public const string Open = "Open";
    public const string Acknowledged = "Acknowledged";
    public const string Resolved = "Resolved";
}

/// <summary>
/// An alert as supervisors and the webhook see it. <see cref="Subject"/> is the window or camera id, or empty for the
/// site; an unstaffed window's alert carries its <see cref="AbsenceTimes"/>, and <see cref="OpenedAt"/> is then the
/// moment the clerk was last seen.
/// </summary>
public sealed record AlertView(
    string AlertId,
    string Type,
    string SiteId,
    string District,
    string Subject,
    string State,
    string Message,
    DateTimeOffset OpenedAt,
    int EscalationLevel,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    string? Note,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AbsenceTimes? Absence = null)
{
    /// <summary>
    /// The site's event sequence whose snapshot shows the cause (<c>/api/events/{siteId}/{sequence}/snapshot.jpg</c>): set
    /// for a clerk inactive at the seat; absent otherwise and from older Consoles.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? SnapshotSequence { get; init; }
}

/// <summary>A new alert was opened.</summary>
public sealed record AlertRaised(AlertView Alert);

/// <summary>An alert was acknowledged, escalated or resolved.</summary>
public sealed record AlertChanged(AlertView Alert);

/// <summary>
/// A window's occupancy state changed at the hall. Away and Unstaffed windows are <see cref="Since"/> the clerk was last
/// seen (the first empty frame from an older Recorder) and carry the absence's <see cref="AbsenceTimes"/>.
/// </summary>
public sealed record WindowStateChanged(
    string SiteId,
    string District,
    string CameraId,
    string WindowId,
    WindowState State,
    DateTimeOffset Since,
    DateTimeOffset ReceivedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AbsenceTimes? Absence = null);

/// <summary>Window state changes pushed together: every change of one push interval, oldest first.</summary>
public sealed record WindowStatesChanged(IReadOnlyList<WindowStateChanged> Windows);
