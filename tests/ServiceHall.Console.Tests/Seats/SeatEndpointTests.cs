using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Seats;

/// <summary>The seat editor's REST side on real Kestrel, with a Recorder on a real hub connection at the other end.</summary>
public sealed class SeatEndpointTests
{
    private static readonly List<double[]> Seat = [[0.1, 0.2], [0.4, 0.2], [0.4, 0.8], [0.1, 0.8]];
    private static readonly List<double[]> Moved = [[0.15, 0.25], [0.4, 0.2], [0.4, 0.8], [0.1, 0.8]];

    private static WindowsReported Windows(IReadOnlyList<double[]> seat) =>
        new([new WindowConfigured("cam-1", "w01", "一号窗口", ["社保", "医保"], seat, 1, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(5))]);

    /// <summary>A Recorder's hub connection that records the seat changes it is sent.</summary>
    private sealed class Recorder : IAsyncDisposable
    {
        private Recorder(HubConnection connection) => Connection = connection;

        public HubConnection Connection { get; }

        public Channel<SeatChangeRequested> Received { get; } = Channel.CreateUnbounded<SeatChangeRequested>();

        public static async Task<Recorder> ConnectAsync(ConsoleServer server, string key, IReadOnlyList<double[]> seat)
        {
            var recorder = new Recorder(server.RecorderConnection("hall-a", key));
            recorder.Connection.On<SeatChangeRequested>(nameof(IRecorderClient.ChangeSeat), r => recorder.Received.Writer.TryWrite(r));
            await recorder.Connection.StartAsync();
            await recorder.Connection.InvokeAsync(nameof(IRecorderHub.ReportWindows), Windows(seat));
            return recorder;
        }

        public async Task<SeatChangeRequested> NextAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            return await Received.Reader.ReadAsync(timeout.Token);
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    private static Task<HttpResponseMessage> PutSeat(HttpClient http, string window, object seat) =>
        http.PutAsJsonAsync($"/api/sites/hall-a/cameras/cam-1/windows/{window}/seat", new { seat });

    [Fact]
    public async Task ReportedWindows_AreShownWithSeatAndDepartments()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = await Recorder.ConnectAsync(server, server.AddSite("hall-a", "甲", "d1"), Seat);
        using var admin = await server.SignedInClientAsync();

        var view = await admin.Http.GetFromJsonAsync<SiteSeatsChanged>("/api/sites/hall-a/seats", WireJson.Options);

        var window = Assert.Single(view!.Windows);
        Assert.Equal(("cam-1", "w01", "一号窗口"), (window.CameraId, window.WindowId, window.Name));
        Assert.Equal(["社保", "医保"], window.Departments);
        Assert.True(SeatPolygon.SameAs(Seat, window.Seat));
        Assert.NotNull(view.ReportedAt);
        Assert.Empty(view.Changes);
    }

    [Theory]
    [InlineData("[[0.1,0.1],[0.4,0.1]]", "a seat needs at least 3 points")]
    [InlineData("[[0.1,0.1],[1.5,0.1],[0.4,0.5]]", "point 2 must be [x, y] with both between 0 and 1")]
    [InlineData("[[0.1,0.1],[0.4,0.5],[0.4,0.1],[0.1,0.5]]", "the seat's edges 1 and 3 cross: the polygon must not intersect itself")]
    [InlineData("null", "a seat needs at least 3 points")]
    public async Task PutSeat_InvalidPolygon_Is400WithTheReason_AndNothingIsSent(string seatJson, string reason)
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = await Recorder.ConnectAsync(server, server.AddSite("hall-a", "甲", "d1"), Seat);
        using var admin = await server.SignedInClientAsync();

        var response = await PutSeat(admin.Http, "w01", JsonSerializer.Deserialize<JsonElement>(seatJson));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var view = await admin.Http.GetFromJsonAsync<SiteSeatsChanged>("/api/sites/hall-a/seats", WireJson.Options);
        Assert.Empty(view!.Changes);
        Assert.False(recorder.Received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task PutSeat_TooManyPointsUnknownWindowOrNotAdmin_IsRefused()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = await Recorder.ConnectAsync(server, server.AddSite("hall-a", "甲", "d1"), Seat);
        using var admin = await server.SignedInClientAsync();
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");
        var many = Enumerable.Range(0, 40).Select(i => new[] { 0.5 + (0.3 * Math.Cos(i * Math.PI / 20)), 0.5 + (0.3 * Math.Sin(i * Math.PI / 20)) }).ToList();

        var tooMany = await PutSeat(admin.Http, "w01", many);
        var unknown = await PutSeat(admin.Http, "w09", Moved);
        var notAdmin = await PutSeat(supervisor.Http, "w01", Moved);

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("at most 32 points", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
    }

    [Fact]
    public async Task PutSeat_IsSentToTheRecorder_AuditedAndAppliedOnItsAnswer()
    {
        await using var server = await ConsoleServer.StartAsync();
        await using var recorder = await Recorder.ConnectAsync(server, server.AddSite("hall-a", "甲", "d1"), Seat);
        using var admin = await server.SignedInClientAsync();

        var response = await PutSeat(admin.Http, "w01", Moved);
        var sent = await recorder.NextAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var change = await response.Content.ReadFromJsonAsync<SeatChangeView>(WireJson.Options);
        Assert.Equal(SeatChangeStates.Pending, change!.State);
        Assert.Equal((change.ChangeId, "cam-1", "w01", "admin"), (sent.ChangeId, sent.CameraId, sent.WindowId, sent.RequestedBy));
        Assert.True(SeatPolygon.SameAs(Moved, sent.Seat));
        var audit = await admin.Http.GetFromJsonAsync<List<JsonElement>>("/api/admin/audit");
        Assert.Contains(audit!, e => e.GetProperty("action").GetString() == "SeatChanged" && e.GetProperty("target").GetString() == "seat:hall-a/cam-1/w01");

        await recorder.Connection.InvokeAsync(nameof(IRecorderHub.SeatChangeApplied), new SeatChangeApplied(sent.ChangeId, "cam-1", "w01", true, null));
        // The hub call returns once the answer is stored.
        var view = await admin.Http.GetFromJsonAsync<SiteSeatsChanged>("/api/sites/hall-a/seats", WireJson.Options);
        Assert.Equal(SeatChangeStates.Applied, Assert.Single(view!.Changes).State);
    }

    [Fact]
    public async Task SeatChangedWhileTheRecorderIsAway_IsSentOnItsNextConnect_AndAppliedOnceReportedInUse()
    {
        await using var server = await ConsoleServer.StartAsync();
        var key = server.AddSite("hall-a", "甲", "d1");
        await (await Recorder.ConnectAsync(server, key, Seat)).DisposeAsync();
        using var admin = await server.SignedInClientAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await PutSeat(admin.Http, "w01", Moved)).StatusCode);
        await using var back = await Recorder.ConnectAsync(server, key, Seat);
        var resent = await back.NextAsync();
        Assert.True(SeatPolygon.SameAs(Moved, resent.Seat));

        // Its answer was lost, but its next report shows the new seat in use.
        await back.Connection.InvokeAsync(nameof(IRecorderHub.ReportWindows), Windows(Moved));
        var view = await admin.Http.GetFromJsonAsync<SiteSeatsChanged>("/api/sites/hall-a/seats", WireJson.Options);
        Assert.Equal(SeatChangeStates.Applied, Assert.Single(view!.Changes).State);
        Assert.True(SeatPolygon.SameAs(Moved, Assert.Single(view.Windows).Seat));
    }
}
