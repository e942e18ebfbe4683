using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ServiceHall.Console.Ingest;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Ingest;

/// <summary>A real Console on PostgreSQL (<c>--Storage:Provider=postgres</c>) taking a Recorder's batches over SignalR.</summary>
public sealed class PostgresIngestTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.UtcNow.AddMinutes(-30);
    private PostgresServer _postgres = null!;
    private string _database = "";

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.SharedAsync();
        _database = await _postgres.CreateDatabaseAsync();
    }

    public Task DisposeAsync() => _postgres.DropDatabaseAsync(_database);

    private static EventRecorded Entry(long sequence) =>
        new(Guid.NewGuid(), sequence, At, new WindowVacated { CameraId = "cam-1", WindowId = "w01", OccurredAt = At.AddSeconds(sequence) }, null);

    [Fact]
    public async Task BatchSentTwice_IsStoredOnceInPostgres_AndReadableThroughTheApi()
    {
        await using var server = await ConsoleServer.StartAsync(TestKeyRing.PostgresConsoleArgs(_database));
        await using var recorder = server.RecorderConnection("hall-a", server.AddSite("hall-a", district: "d1"));
        await recorder.StartAsync();
        var batch = new EventBatchSent([Entry(1), Entry(2), Entry(3)]);

        var first = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);
        var replay = await recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);

        Assert.Equal((3, 0), (first.Stored, first.Duplicates));
        Assert.Equal((0, 3), (replay.Stored, replay.Duplicates));
        Assert.IsType<PostgresEventStore>(server.App.Services.GetRequiredService<IEventStore>());
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM events WHERE site_id = 'hall-a'", connection);
            Assert.Equal(3L, await count.ExecuteScalarAsync());
        }

        using var viewer = await server.SignedInUserAsync("v1", "Viewer", "d1");
        var range = $"from={Uri.EscapeDataString(At.ToString("O"))}&to={Uri.EscapeDataString(At.AddHours(1).ToString("O"))}";
        var found = await viewer.Http.GetFromJsonAsync<List<JsonElement>>($"/api/events?site=hall-a&{range}") ?? [];
        Assert.Equal([1L, 2L, 3L], found.Select(e => e.GetProperty("sequence").GetInt64()));
        Assert.Equal(batch.Events.Select(e => e.Event.OccurredAt), found.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task DatabaseDown_PublishEventsFails_NothingAcknowledged_AndTheResentBatchIsStoredWhenItIsBack()
    {
        await using var relay = DatabaseRelay.Start(_postgres.Port);
        var throughRelay = new NpgsqlConnectionStringBuilder(_database) { Port = relay.Port }.ConnectionString;
        await using var server = await ConsoleServer.StartAsync(TestKeyRing.PostgresConsoleArgs(throughRelay));
        var key = server.AddSite("hall-a");
        await using var recorder = server.RecorderConnection("hall-a", key);
        await recorder.StartAsync();
        var batch = new EventBatchSent([Entry(1), Entry(2)]);

        relay.Down();
        // The invocation fails (the error a failed LiteDB write gives too), or the Console closes the connection
        // because it cannot check the site's key: either way nothing is acknowledged and the Recorder keeps the batch.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => recorder.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch));
        relay.Up();
        // The Recorder sends the batch again on its next connection.
        await using var again = server.RecorderConnection("hall-a", key);
        await again.StartAsync();
        var ack = await again.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), batch);

        Assert.True(refused is HubException or InvalidOperationException or TaskCanceledException, $"unexpected {refused.GetType().Name}: {refused.Message}");
        Assert.Equal((2, 0), (ack.Stored, ack.Duplicates));
        Assert.Equal([1L, 2L], server.App.Services.GetRequiredService<IEventStore>().ForSite("hall-a").Select(e => e.Sequence));
    }
}
