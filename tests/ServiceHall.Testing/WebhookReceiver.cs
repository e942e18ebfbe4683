using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Testing;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 for the Console's alert webhook: each post is refused (503) while
/// <see cref="Refuses"/> says so, otherwise kept in <see cref="Accepted"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _refused;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Decides, per post (1 for the first), whether to refuse it.</summary>
    public Func<int, bool> Refuses { get; set; } = _ => false;

    public ConcurrentQueue<AlertView> Accepted { get; } = new();

    /// <summary>Posts answered 503 so far.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Posts received so far, refused or accepted.</summary>
    public int Attempts => Refused + Accepted.Count;

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.MapPost("/hook", async (HttpRequest request) =>
        {
            if (receiver.Refuses(receiver.Attempts + 1))
            {
                Interlocked.Increment(ref receiver._refused);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            receiver.Accepted.Enqueue((await JsonSerializer.DeserializeAsync<AlertView>(request.Body, WireJson.Options))!);
            return Results.Ok();
        });
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
