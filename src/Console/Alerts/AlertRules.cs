using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>What a rule decided about one cause (type, subject) of one site: open an alert, or end the one open.</summary>
public abstract record AlertDecision(string Type, string Subject);

/// <summary>Open an alert for the cause unless one is unresolved.</summary>
public sealed record RaiseAlert(string Type, string Subject, string Message, DateTimeOffset OpenedAt, AbsenceTimes? Absence = null) : AlertDecision(Type, Subject)
{
    /// <summary>The stored event whose snapshot shows the cause (the site's event sequence), if any.</summary>
    public long? SnapshotSequence { get; init; }
}

/// <summary>The cause has ended: resolve its alert if one is unresolved.</summary>
public sealed record ResolveAlert(string Type, string Subject) : AlertDecision(Type, Subject);

/// <summary>
/// Every rule that opens or ends an alert by itself, in one place: from a Recorder's events (windows, cameras) and
/// from a site's live status (Recorder offline, disk low, clock skewed). Pure: the rules decide,
/// <see cref="AlertEngine.Apply"/> does it, <see cref="AlertTrigger"/> feeds them.
/// </summary>
public static class AlertRules
{
    /// <summary>
    /// The decisions an event carries (none for most events). <paramref name="sequence"/> is the event's stored sequence
    /// when it came with a snapshot: an alert raised by it (an unstaffed window, a motionless clerk) points at the proof.
    /// </summary>
    public static IReadOnlyList<AlertDecision> ForEvent(SiteEvent siteEvent, long? sequence = null) => siteEvent switch
    {
        // A clerk's inactivity ends when the window stops being staffed (left, no frames) or staffed anew (a restarted
        // Recorder starts from Unknown): so its alert never outlives the clerk even if the ClerkActive was never sent.
        WindowUnstaffed u => [Unstaffed(u) with { SnapshotSequence = sequence }, new ResolveAlert(AlertTypes.ClerkInactive, u.WindowId)],
        WindowRestaffed r => [new ResolveAlert(AlertTypes.WindowUnstaffed, r.WindowId), new ResolveAlert(AlertTypes.ClerkInactive, r.WindowId)],
        WindowStaffed s => [new ResolveAlert(AlertTypes.WindowUnstaffed, s.WindowId), new ResolveAlert(AlertTypes.ClerkInactive, s.WindowId)],
        WindowVacated v => [new ResolveAlert(AlertTypes.ClerkInactive, v.WindowId)],
        WindowUnknown u => [new ResolveAlert(AlertTypes.ClerkInactive, u.WindowId)],
        ClerkInactive i => [new RaiseAlert(
            AlertTypes.ClerkInactive, i.WindowId, $"window {i.WindowId}: clerk motionless since {i.InactiveSince:u} (inactive at {i.OccurredAt:u})", i.InactiveSince)
            { SnapshotSequence = sequence }],
        ClerkActive a => [new ResolveAlert(AlertTypes.ClerkInactive, a.WindowId)],
        CameraLost lost => [new RaiseAlert(AlertTypes.CameraDown, lost.CameraId, $"camera {lost.CameraId} down: {lost.Reason}", lost.OccurredAt)],
        CameraRegained regained => [new ResolveAlert(AlertTypes.CameraDown, regained.CameraId)],
        CameraTampered tampered => [new RaiseAlert(AlertTypes.CameraTampered, tampered.CameraId, $"camera {tampered.CameraId} tampered", tampered.OccurredAt)],
        CameraTamperCleared cleared => [new ResolveAlert(AlertTypes.CameraTampered, cleared.CameraId)],
        _ => [],
    };

    /// <summary>An unstaffed window's alert, opened when the clerk was last seen and carrying the absence's three moments.</summary>
    private static RaiseAlert Unstaffed(WindowUnstaffed u)
    {
        var times = AbsenceTimes.Of(u)!;
        var lastSeen = times.LastSeenAt is { } seen ? $"last seen {seen:u}" : "not seen before";
        var vacated = times.VacatedAt is { } away ? $", away confirmed {away:u}" : "";
        return new RaiseAlert(
            AlertTypes.WindowUnstaffed, u.WindowId, $"window {u.WindowId} unstaffed at {u.OccurredAt:u} ({lastSeen}{vacated})",
            times.LastSeenAt ?? u.AwaySince, times);
    }

    /// <summary>
    /// Events the Console rejected for good are parked by their Recorder: kept, never resent, and nothing reads them
    /// until someone looks, so they open one <c>EventsParked</c> per site, resolved by hand.
    /// </summary>
    public static AlertDecision ForRejected(IReadOnlyList<EventRejected> rejected, DateTimeOffset now) =>
        new RaiseAlert(AlertTypes.EventsParked, "", $"{rejected.Count} event(s) rejected and parked by the Recorder, first {rejected[0].Sequence}: {rejected[0].Reason}", now);

    /// <summary>The decisions a site's live status carries: one per site-wide cause it says something about.</summary>
    public static IReadOnlyList<AlertDecision> ForStatus(SiteStatusChanged status, AlertOptions options, DateTimeOffset now)
    {
        var decisions = new List<AlertDecision>();

        // A site that never reported since the Console started is unknown, not offline.
        if (status.LastHeartbeatAt is { } last)
        {
            decisions.Add(status.Online
                ? new ResolveAlert(AlertTypes.RecorderOffline, "")
                : new RaiseAlert(AlertTypes.RecorderOffline, "", $"Recorder silent since {last:u}", last));
        }

        if (status.Online && status.FreeDiskBytes is { } free)
        {
            decisions.Add(free < options.DiskLowBytes
                ? new RaiseAlert(AlertTypes.DiskLow, "", $"{free / (1024 * 1024)} MiB free, below {options.DiskLowBytes / (1024 * 1024)} MiB", now)
                : new ResolveAlert(AlertTypes.DiskLow, ""));
        }

        if (status.Online && status.ClockSkewSeconds is { } skew)
        {
            decisions.Add(Math.Abs(skew) > options.MaxClockSkew.TotalSeconds
                ? new RaiseAlert(AlertTypes.ClockSkew, "", $"Recorder clock is {skew:+0.0;-0.0} s off the Console's", now)
                : new ResolveAlert(AlertTypes.ClockSkew, ""));
        }

        return decisions;
    }
}
