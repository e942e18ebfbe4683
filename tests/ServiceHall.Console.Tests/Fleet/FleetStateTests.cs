using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Cluster;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Fleet;

public sealed class FleetStateTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ConsoleDatabase _db;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 1, 0, 0, TimeSpan.Zero));
    private readonly FleetState _fleet;
    private readonly RecordingNodeBus _bus = new();

    public FleetStateTests()
    {
        _db = new ConsoleDatabase(Options.Create(new StorageOptions { DataDirectory = _dir.Path }));
        var sites = new LiteDbSiteStore(_db, _time);
        sites.Upsert("hall-a", "甲大厅", "顺庆区");
        _fleet = new FleetState(sites, _bus, Options.Create(new FleetOptions()), _time);
    }

    public void Dispose()
    {
        _db.Dispose();
        _dir.Dispose();
    }

    private static HeartbeatSent Beat(DateTimeOffset sentAt) =>
        new("甲大厅", "0.1.0", sentAt, 10, [new CameraHealthReported("cam-1", "一号", true, sentAt, 640, 360, null)]);

    [Fact]
    public void Heartbeat_OnConnectedSite_ShowsOnlineWithCameras()
    {
        _fleet.Connected("hall-a", "c1");
        var status = _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()));

        Assert.True(status.Online);
        Assert.True(status.Cameras.Single().Online);
        Assert.Equal(0, status.ClockSkewSeconds);
    }

    [Fact]
    public void Heartbeat_WithSkippedAnalysisFrames_ShowsThem_UntilTheRecorderIsOffline()
    {
        _fleet.Connected("hall-a", "c1");
        var sentAt = _time.GetUtcNow();
        var status = _fleet.Heartbeat("hall-a", new HeartbeatSent("甲大厅", "0.1.0", sentAt, 10, [new CameraHealthReported("cam-1", "一号", true, sentAt, 640, 360, null, 42)]));

        Assert.Equal(42, status.Cameras.Single().SkippedFramesLastMinute);
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(0, Assert.Single(_fleet.SweepSilent()).Cameras.Single().SkippedFramesLastMinute);
    }

    [Fact]
    public void SweepSilent_AfterThreeMissedHeartbeats_ReportsOfflineOnce()
    {
        _fleet.Connected("hall-a", "c1");
        _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(_fleet.SweepSilent());
        _time.Advance(TimeSpan.FromSeconds(2));
        var offline = Assert.Single(_fleet.SweepSilent());
        Assert.False(offline.Online);
        Assert.Equal("recorder offline", offline.Cameras.Single().Error);
        Assert.Empty(_fleet.SweepSilent());
    }

    [Fact]
    public void Disconnected_ByAReplacedConnection_ChangesNothing()
    {
        _fleet.Connected("hall-a", "old");
        _fleet.Connected("hall-a", "new");
        _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()));

        Assert.Null(_fleet.Disconnected("hall-a", "old"));
        Assert.False(_fleet.Find("hall-a")!.Reconnecting);
        Assert.True(_fleet.Disconnected("hall-a", "new")!.Reconnecting);
    }

    [Fact]
    public void Disconnected_ThenReconnectedWithinTheGrace_StaysOnline_AndNeverSweepsOffline()
    {
        _fleet.Connected("hall-a", "c1");
        _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()));

        var dropped = _fleet.Disconnected("hall-a", "c1")!;
        _time.Advance(TimeSpan.FromSeconds(25));
        var silentSweep = _fleet.SweepSilent();
        var back = _fleet.Connected("hall-a", "c2");
        _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()));
        _time.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal((true, true), (dropped.Online, dropped.Reconnecting));
        Assert.Equal("一号", dropped.Cameras.Single().Name);
        Assert.Empty(silentSweep);
        Assert.Equal((true, false), (back.Online, back.Reconnecting));
        Assert.Empty(_fleet.SweepSilent());
    }

    [Fact]
    public void Disconnected_AndSilentForThreeHeartbeats_SweepsOfflineOnce()
    {
        _fleet.Connected("hall-a", "c1");
        _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()));
        _fleet.Disconnected("hall-a", "c1");

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(_fleet.SweepSilent());
        _time.Advance(TimeSpan.FromSeconds(2));
        var offline = Assert.Single(_fleet.SweepSilent());

        Assert.Equal((false, false), (offline.Online, offline.Reconnecting));
        Assert.Empty(_fleet.SweepSilent());
    }

    [Fact]
    public void Heartbeat_FromAFastClock_ShowsTheSkew()
    {
        _fleet.Connected("hall-a", "c1");
        var status = _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow().AddMinutes(3)));

        Assert.Equal(180, status.ClockSkewSeconds);
    }

    [Fact]
    public void Heartbeat_IsToldToTheOtherNodes_AndKeptAsTheSitesLatestInTheSharedTable()
    {
        _fleet.Connected("hall-a", "c1");
        _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()), "c1");

        var heard = Assert.IsType<SiteHeard>(_bus.Published.Single(p => p.Topic == FleetState.HeardTopic).Message);
        Assert.Equal(("hall-a", _time.GetUtcNow(), "c1"), (heard.SiteId, heard.ReceivedAt, heard.ConnectionId));
        Assert.Equal(heard, _bus.Saved[(FleetState.HeardTopic, "hall-a")]);
        Assert.Equal(new SiteLinkChanged("hall-a", "c1", true), _bus.Published.Single(p => p.Topic == FleetState.LinkTopic).Message);
    }

    [Fact]
    public void HeardOnAnotherNode_ShowsTheSiteOnlineHere_AndAnOlderHeartbeatChangesNothing()
    {
        var now = _time.GetUtcNow();
        _fleet.Apply(new SiteHeard("hall-a", Beat(now), now, "c-on-node-2"));
        _fleet.Apply(new SiteHeard("hall-a", new HeartbeatSent("甲大厅", "0.0.9", now, 10, []), now.AddSeconds(-10), "older"));

        var status = _fleet.Find("hall-a")!;
        Assert.Equal((true, false, "0.1.0"), (status.Online, status.Reconnecting, status.RecorderVersion));
        Assert.True(_fleet.ListsCamera("hall-a", "cam-1"));
        Assert.Empty(_bus.Published);
        // Its Recorder dropped on node 2: reconnecting here too; a stale drop of another connection changes nothing.
        Assert.False(_fleet.ApplyLink(new SiteLinkChanged("hall-a", "older", false)));
        Assert.True(_fleet.ApplyLink(new SiteLinkChanged("hall-a", "c-on-node-2", false)));
        Assert.True(_fleet.Find("hall-a")!.Reconnecting);
    }

    [Fact]
    public void OutOfTouchWithTheOtherNodes_SitesHeardElsewhereAreNotSweptOffline_UntilAThresholdAfterTouchReturns()
    {
        var now = _time.GetUtcNow();
        _fleet.Apply(new SiteHeard("hall-a", Beat(now), now, "c-on-node-2"));

        _bus.InTouch = false;
        _time.Advance(TimeSpan.FromSeconds(31));
        var duringOutage = _fleet.SweepSilent();
        _bus.InTouch = true;
        _time.Advance(TimeSpan.FromSeconds(29));
        var justAfter = _fleet.SweepSilent();
        _time.Advance(TimeSpan.FromSeconds(2));
        var later = _fleet.SweepSilent();

        Assert.Empty(duringOutage);
        Assert.Empty(justAfter);
        Assert.False(Assert.Single(later).Online);
    }

    [Fact]
    public void OutOfTouchWithTheOtherNodes_ASiteHeardHereIsStillSweptOffline()
    {
        _fleet.Connected("hall-a", "c1");
        _fleet.Heartbeat("hall-a", Beat(_time.GetUtcNow()), "c1");

        _bus.InTouch = false;
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.False(Assert.Single(_fleet.SweepSilent()).Online);
    }
}
