using ServiceHall.Console.Alerts;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Alerts;

/// <summary>The one set of alert rules, as pure decisions: from events, and from a site's live status.</summary>
public sealed class AlertRulesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    private static SiteStatusChanged Status(bool online, DateTimeOffset? lastHeartbeat, double? skew = null, long? freeDisk = null) =>
        new("hall-a", "甲", "d1", online, lastHeartbeat, "1", skew, freeDisk, []);

    [Fact]
    public void ForEvent_UnstaffedRaises_StaffedOrRestaffedResolves_ByWindow()
    {
        var unstaffed = new WindowUnstaffed
        {
            CameraId = "cam-1", WindowId = "w01", OccurredAt = At, AwaySince = At.AddMinutes(-6), LastSeenAt = At.AddMinutes(-6).AddSeconds(-1), VacatedAt = At.AddMinutes(-5),
        };

        Assert.Equal(
            new RaiseAlert(
                AlertTypes.WindowUnstaffed, "w01", "window w01 unstaffed at 2026-11-26 02:00:00Z (last seen 2026-11-26 01:53:59Z, away confirmed 2026-11-26 01:55:00Z)",
                At.AddMinutes(-6).AddSeconds(-1), new AbsenceTimes(At.AddMinutes(-6).AddSeconds(-1), At.AddMinutes(-5), At)),
            AlertRules.ForEvent(unstaffed)[0]);
        // The event came with a snapshot: the alert points at it as the proof.
        Assert.Equal(7L, Assert.IsType<RaiseAlert>(AlertRules.ForEvent(unstaffed, 7)[0]).SnapshotSequence);
        // An older Recorder sends none of the moments but the first empty frame: the alert opens there.
        var older = new WindowUnstaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At, AwaySince = At.AddMinutes(-6) };
        Assert.Equal(
            new RaiseAlert(AlertTypes.WindowUnstaffed, "w01", "window w01 unstaffed at 2026-11-26 02:00:00Z (not seen before)", At.AddMinutes(-6), new AbsenceTimes(null, null, At)),
            AlertRules.ForEvent(older)[0]);
        Assert.Equal(new ResolveAlert(AlertTypes.WindowUnstaffed, "w01"), AlertRules.ForEvent(new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At })[0]);
        Assert.Equal(new ResolveAlert(AlertTypes.WindowUnstaffed, "w02"), AlertRules.ForEvent(new WindowRestaffed { CameraId = "cam-1", WindowId = "w02", OccurredAt = At, AwaySince = At })[0]);
        Assert.DoesNotContain(AlertRules.ForEvent(new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = At }), d => d.Type == AlertTypes.WindowUnstaffed);
    }

    [Fact]
    public void ForEvent_ClerkInactiveRaisesWithItsSnapshot_ActiveLeavingOrNoFramesResolve()
    {
        var inactive = new ClerkInactive { CameraId = "cam-1", WindowId = "w01", OccurredAt = At, InactiveSince = At.AddMinutes(-10) };

        Assert.Equal(
            [new RaiseAlert(AlertTypes.ClerkInactive, "w01", "window w01: clerk motionless since 2026-11-26 01:50:00Z (inactive at 2026-11-26 02:00:00Z)", At.AddMinutes(-10)) { SnapshotSequence = 42 }],
            AlertRules.ForEvent(inactive, 42));
        var resolve = new ResolveAlert(AlertTypes.ClerkInactive, "w01");
        Assert.Equal([resolve], AlertRules.ForEvent(new ClerkActive { CameraId = "cam-1", WindowId = "w01", OccurredAt = At, InactiveSince = At.AddMinutes(-11), Reason = InactivityEnd.Moved }));
        Assert.Equal([resolve], AlertRules.ForEvent(new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = At }));
        Assert.Equal([resolve], AlertRules.ForEvent(new WindowUnknown { CameraId = "cam-1", WindowId = "w01", OccurredAt = At, Reason = "no frames" }));
        Assert.Contains(resolve, AlertRules.ForEvent(new WindowStaffed { CameraId = "cam-1", WindowId = "w01", OccurredAt = At }));
    }

    [Fact]
    public void ForEvent_CameraLostAndTampered_RaiseByCamera_TheirEndsResolve()
    {
        Assert.Equal(new RaiseAlert(AlertTypes.CameraDown, "cam-2", "camera cam-2 down: timeout", At), AlertRules.ForEvent(new CameraLost { CameraId = "cam-2", OccurredAt = At, Reason = "timeout" })[0]);
        Assert.Equal(new ResolveAlert(AlertTypes.CameraDown, "cam-2"), AlertRules.ForEvent(new CameraRegained { CameraId = "cam-2", OccurredAt = At, Width = 640, Height = 360 })[0]);
        Assert.Equal(new RaiseAlert(AlertTypes.CameraTampered, "cam-2", "camera cam-2 tampered", At), AlertRules.ForEvent(new CameraTampered { CameraId = "cam-2", OccurredAt = At, Kind = TamperKind.Covered, Detail = "dark" })[0]);
        Assert.Equal(new ResolveAlert(AlertTypes.CameraTampered, "cam-2"), AlertRules.ForEvent(new CameraTamperCleared { CameraId = "cam-2", OccurredAt = At, Kind = TamperKind.Covered })[0]);
    }

    [Fact]
    public void ForStatus_SilentRecorderRaisesOffline_ANeverSeenOneNothing_AnOnlineOneResolvesAndJudgesDiskAndClock()
    {
        var options = new AlertOptions { DiskLowBytes = 5L << 30, MaxClockSkew = TimeSpan.FromSeconds(30) };

        var silent = AlertRules.ForStatus(Status(online: false, At.AddMinutes(-1), skew: 90, freeDisk: 1), options, At);
        var neverSeen = AlertRules.ForStatus(Status(online: false, lastHeartbeat: null), options, At);
        var online = AlertRules.ForStatus(Status(online: true, At, skew: -45.25, freeDisk: 1L << 30), options, At);

        Assert.Equal([new RaiseAlert(AlertTypes.RecorderOffline, "", "Recorder silent since 2026-11-26 01:59:00Z", At.AddMinutes(-1))], silent);
        Assert.Empty(neverSeen);
        Assert.Equal(
            [
                new ResolveAlert(AlertTypes.RecorderOffline, ""),
                new RaiseAlert(AlertTypes.DiskLow, "", "1024 MiB free, below 5120 MiB", At),
                new RaiseAlert(AlertTypes.ClockSkew, "", "Recorder clock is -45.3 s off the Console's", At),
            ],
            online);
        Assert.Equal([new ResolveAlert(AlertTypes.RecorderOffline, ""), new ResolveAlert(AlertTypes.DiskLow, ""), new ResolveAlert(AlertTypes.ClockSkew, "")], AlertRules.ForStatus(Status(online: true, At, skew: 1, freeDisk: 6L << 30), options, At));
    }
}
