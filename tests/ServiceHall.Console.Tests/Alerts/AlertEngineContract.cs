using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;
using ServiceHall.Console.Tests.Storage;

namespace ServiceHall.Console.Tests.Alerts;

public sealed class LiteDbAlertEngineTests() : AlertEngineContract(StoreProvider.LiteDb);

public sealed class PostgresAlertEngineTests() : AlertEngineContract(StoreProvider.Postgres)
{
    [Fact]
    public void TwoNodes_RaisingTheSameCause_OpenOneAlert()
    {
        using var otherDb = new PostgresDatabase(World.Options, NullLogger<PostgresDatabase>.Instance);
        var first = Engine();
        var second = Engine(store: new PostgresAlertStore(otherDb));

        var opened = first.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w01", "m", At);
        var alsoOpened = second.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w01", "m", At);

        Assert.NotNull(opened);
        Assert.Null(alsoOpened);
        Assert.Equal([opened.AlertId], second.List(_ => true, includeResolved: true, 100).Select(a => a.AlertId));
    }
}

/// <summary>The alert lifecycle on a real store of each provider and a fake clock.</summary>
public abstract class AlertEngineContract(StoreProvider provider) : IAsyncLifetime
{
    protected static readonly DateTimeOffset At = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(At);
    private readonly ServiceProvider _http = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private readonly List<IDisposable> _open = [];

    protected StoreWorld World { get; private set; } = null!;

    public async Task InitializeAsync() => World = await StoreWorld.CreateAsync(provider);

    public async Task DisposeAsync()
    {
        foreach (var open in _open)
        {
            open.Dispose();
        }

        _http.Dispose();
        await World.DisposeAsync();
    }

    protected AlertEngine Engine(AlertOptions? options = null, IAlertStore? store = null)
    {
        var alertOptions = Options.Create(options ?? new AlertOptions());
        IWebhookQueue queue = provider == StoreProvider.LiteDb ? new LiteDbWebhookQueue(World.LiteDb) : new PostgresWebhookQueue(World.Postgres);
        var webhook = new AlertWebhook(queue, new SingleNodeLease(), _http.GetRequiredService<IHttpClientFactory>(), alertOptions, _time, NullLogger<AlertWebhook>.Instance);
        _open.Add(webhook);
        store ??= provider == StoreProvider.LiteDb ? new LiteDbAlertStore(World.LiteDb) : new PostgresAlertStore(World.Postgres);
        return new AlertEngine(store, webhook, alertOptions, _time);
    }

    [Fact]
    public void EventDispatchedTwice_RaisesItsAlertOnce_EvenIfTheCauseWasResolvedInBetween()
    {
        var engine = Engine();
        var down = new RaiseAlert(AlertTypes.CameraDown, "cam-1", "camera cam-1 down", At);

        var raised = engine.Apply(down, "hall-a", "d1", eventSequence: 7);
        engine.Apply(new ResolveAlert(AlertTypes.CameraDown, "cam-1"), "hall-a", "d1", eventSequence: 8);
        // Event 7 handed to the handlers again (its batch resent to another node while the first was still dispatching).
        var again = engine.Apply(down, "hall-a", "d1", eventSequence: 7);
        var fresh = Engine().Apply(down, "hall-a", "d1", eventSequence: 7);
        var laterEvent = engine.Apply(down, "hall-a", "d1", eventSequence: 9);

        Assert.NotNull(raised);
        Assert.Equal(AlertEngine.EventAlertId("hall-a", 7, AlertTypes.CameraDown, "cam-1"), raised.AlertId);
        Assert.Null(again);
        Assert.Null(fresh);
        Assert.NotNull(laterEvent);
        Assert.Equal(2, engine.List(_ => true, includeResolved: true, 100).Count);
    }

    [Fact]
    public void Raise_TwiceForTheSameCause_OpensOneAlert_AnotherCauseOpensItsOwn()
    {
        var engine = Engine();

        var first = engine.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w01", "m", At);
        var again = engine.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w01", "m", At);
        var other = engine.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w02", "m", At);

        Assert.NotNull(first);
        Assert.Null(again);
        Assert.NotNull(other);
        Assert.Equal(2, engine.List(_ => true, includeResolved: false, 100).Count);
    }

    [Fact]
    public void Lifecycle_OpenAcknowledgedResolved_RecordsWhoWhenAndNote_ThenTheCauseMayOpenAgain()
    {
        var engine = Engine();
        var opened = engine.Raise(AlertTypes.CameraDown, "hall-a", "d1", "cam-1", "down", At)!;
        _time.Advance(TimeSpan.FromMinutes(2));

        var acknowledged = engine.Acknowledge(opened.AlertId, "zhang", "called the hall")!;
        var secondAck = engine.Acknowledge(opened.AlertId, "li", null);
        _time.Advance(TimeSpan.FromMinutes(1));
        var resolved = engine.ResolveCause(AlertTypes.CameraDown, "hall-a", "cam-1")!;
        var reopened = engine.Raise(AlertTypes.CameraDown, "hall-a", "d1", "cam-1", "down again", _time.GetUtcNow());

        Assert.Equal((AlertStates.Acknowledged, "zhang", "called the hall", At.AddMinutes(2)), (acknowledged.State, acknowledged.AcknowledgedBy, acknowledged.Note, acknowledged.AcknowledgedAt));
        Assert.Null(secondAck);
        Assert.Equal((AlertStates.Resolved, "system", At.AddMinutes(3)), (resolved.State, resolved.ResolvedBy, resolved.ResolvedAt));
        Assert.NotNull(reopened);
        Assert.NotEqual(opened.AlertId, reopened.AlertId);
    }

    [Fact]
    public void Escalate_RaisesLevelPerPeriodUnacknowledged_NeverForAcknowledged()
    {
        var engine = Engine(new AlertOptions { EscalateAfter = TimeSpan.FromMinutes(10) });
        var ignored = engine.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w01", "m", At)!;
        var handled = engine.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w02", "m", At)!;
        engine.Acknowledge(handled.AlertId, "zhang", null);

        _time.Advance(TimeSpan.FromMinutes(9));
        var early = engine.Escalate();
        _time.Advance(TimeSpan.FromMinutes(1));
        var first = engine.Escalate();
        var repeat = engine.Escalate();
        _time.Advance(TimeSpan.FromMinutes(10));
        var second = engine.Escalate();

        Assert.Empty(early);
        Assert.Equal((ignored.AlertId, 1), (Assert.Single(first).AlertId, first[0].EscalationLevel));
        Assert.Empty(repeat);
        Assert.Equal(2, Assert.Single(second).EscalationLevel);
    }

    [Fact]
    public void UnresolvedAlerts_SurviveARestart_StillOnePerCause()
    {
        var opened = Engine().Raise(AlertTypes.DiskLow, "hall-a", "d1", "", "low", At)!;

        World.Reopen();
        var restarted = Engine();

        Assert.Null(restarted.Raise(AlertTypes.DiskLow, "hall-a", "d1", "", "low", At));
        Assert.Equal(opened.AlertId, restarted.ResolveByHand(opened.AlertId, "zhang", "disk replaced")!.AlertId);
    }

    [Fact]
    public void WebhookPosts_WaitOldestFirst_AcrossARestart_UntilRemoved()
    {
        var engine = Engine(new AlertOptions { WebhookUrl = new Uri("https://127.0.0.1:9/hook") });
        var first = engine.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w01", "m", At)!;
        engine.Raise(AlertTypes.WindowUnstaffed, "hall-a", "d1", "w02", "m", At);

        World.Reopen();
        IWebhookQueue queue = provider == StoreProvider.LiteDb ? new LiteDbWebhookQueue(World.LiteDb) : new PostgresWebhookQueue(World.Postgres);
        var oldest = queue.Oldest()!;
        oldest.Attempts = 3;
        queue.SaveAttempts(oldest);

        Assert.Equal(2, queue.Count());
        Assert.Equal((first.AlertId, 3), (queue.Oldest()!.AlertId, queue.Oldest()!.Attempts));
        Assert.Contains("\"w01\"", oldest.AlertJson, StringComparison.Ordinal);
        queue.Remove(oldest.Id);
        Assert.Equal(1, queue.Count());
        Assert.NotEqual(first.AlertId, queue.Oldest()!.AlertId);
    }
}
