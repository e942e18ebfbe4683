using Microsoft.Extensions.Options;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Tests.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Tests.Attendance;

public sealed class LiteDbAttendanceLedgerTests() : AttendanceLedgerContract(StoreProvider.LiteDb);

public sealed class PostgresAttendanceLedgerTests() : AttendanceLedgerContract(StoreProvider.Postgres);

/// <summary>What the ledger keeps on both providers: closed days by site, day and window, a resent day replacing its copy.</summary>
public abstract class AttendanceLedgerContract(StoreProvider provider) : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 11, 25);
    private static readonly DateTimeOffset Evening = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private StoreWorld _world = null!;

    public async Task InitializeAsync() => _world = await StoreWorld.CreateAsync(provider);

    public async Task DisposeAsync() => await _world.DisposeAsync();

    private IEventStore Events() => provider == StoreProvider.LiteDb
        ? new LiteDbEventStore(_world.LiteDb, Options.Create(new IngestOptions()), Options.Create(new FleetOptions()), TimeProvider.System)
        : new PostgresEventStore(_world.Postgres, Options.Create(new IngestOptions()), Options.Create(new FleetOptions()), TimeProvider.System);

    private AttendanceLedger Ledger() =>
        new(provider == StoreProvider.LiteDb ? new LiteDbLedgerStore(_world.LiteDb) : new PostgresLedgerStore(_world.Postgres), Events());

    private static AttendanceDayClosed Closed(string windowId, double staffed, DateOnly? day = null) => new()
    {
        CameraId = "cam-1",
        WindowId = windowId,
        OccurredAt = Evening,
        Day = (day ?? Day).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ScheduledSeconds = 23_400,
        StaffedSeconds = staffed,
        AwaySeconds = 1_200,
        UnstaffedSeconds = 600,
        UnknownSeconds = 1_600,
        InactiveSeconds = 300,
        Absences = [new AbsenceEpisode(Evening.AddHours(-5), Evening.AddHours(-5).AddMinutes(15), 900)],
    };

    [Fact]
    public void Fold_KeepsEachWindowDay_AResentDayReplacesItsCopy_AndADayIsReadByWindow()
    {
        var ledger = Ledger();

        ledger.Fold("hall-a", Closed("w02", 19_000));
        ledger.Fold("hall-a", Closed("w01", 20_000));
        ledger.Fold("hall-a", Closed("w01", 21_000));
        ledger.Fold("hall-a", Closed("w01", 5_000, Day.AddDays(1)));
        ledger.Fold("hall-b", Closed("w01", 1_000));

        var day = ledger.ForDay("hall-a", Day);
        Assert.Equal([("w01", 21_000.0), ("w02", 19_000.0)], day.Select(d => (d.WindowId, d.StaffedSeconds)));
        Assert.Equal(
            (AttendanceLedger.Key("hall-a", "2026-11-25", "w01"), "hall-a", "2026-11-25", 23_400.0, 1_200.0, 600.0, 1_600.0, 300.0, 1),
            (day[0].Id, day[0].SiteId, day[0].Day, day[0].ScheduledSeconds, day[0].AwaySeconds, day[0].UnstaffedSeconds, day[0].UnknownSeconds, day[0].InactiveSeconds, day[0].Absences));
        Assert.Empty(ledger.ForDay("hall-a", Day.AddDays(-1)));
    }

    [Fact]
    public async Task EmptyLedger_IsRebuiltFromTheStoredEvents_AndKeptAcrossARestart()
    {
        await Events().StoreAsync("hall-a", new EventBatchSent(
        [
            new EventRecorded(Guid.NewGuid(), 1, Evening, Closed("w01", 20_000), null),
            new EventRecorded(Guid.NewGuid(), 2, Evening, Closed("w01", 21_000), null),
        ]));

        var rebuilt = Assert.Single(Ledger().ForDay("hall-a", Day));
        _world.Reopen();
        var restarted = Assert.Single(Ledger().ForDay("hall-a", Day));

        Assert.Equal((21_000.0, 21_000.0), (rebuilt.StaffedSeconds, restarted.StaffedSeconds));
    }
}
