using ServiceHall.Console.Monitor;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Monitor;

public sealed class MonitorPushesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private static WindowStateChanged Change(string site, string district, string window) =>
        new(site, district, "cam-1", window, WindowState.Away, At, At);

    [Fact]
    public void Audiences_GiveAllEverything_AndEachDistrictAndSiteOnlyItsOwn_InOrder()
    {
        var a1 = Change("hall-a", "d1", "w01");
        var b = Change("hall-b", "d2", "w01");
        var a2 = Change("hall-a", "d1", "w02");
        var c = Change("hall-c", "d1", "w01");

        var audiences = MonitorPushes.Audiences([a1, b, a2, c], w => w.SiteId, w => w.District).ToDictionary(x => x.Group, x => x.Changes);

        Assert.Equal([Groups.AllSites, Groups.District("d1"), Groups.District("d2"), Groups.Site("hall-a"), Groups.Site("hall-b"), Groups.Site("hall-c")], audiences.Keys);
        Assert.Equal([a1, b, a2, c], audiences[Groups.AllSites]);
        Assert.Equal([a1, a2, c], audiences[Groups.District("d1")]);
        Assert.Equal([b], audiences[Groups.District("d2")]);
        Assert.Equal([a1, a2], audiences[Groups.Site("hall-a")]);
        Assert.Equal([c], audiences[Groups.Site("hall-c")]);
    }
}
