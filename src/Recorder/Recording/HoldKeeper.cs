using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Recording;

/// <summary>
/// Places and releases evidence holds in the segment index, idempotently by hold id, and confirms each change to the
/// Console through the outbox (<see cref="HoldPlaced"/>, <see cref="HoldReleased"/>), so the Console's list of holds
/// is the Recorder's.
/// </summary>
public sealed partial class HoldKeeper(SegmentIndex index, EventReporter events, TimeProvider time, ILogger<HoldKeeper> logger)
{
    public async Task PlaceAsync(HoldRequested request, CancellationToken ct)
    {
        if (!EvidenceHolds.IsValidId(request.HoldId) || !Slug.IsValid(request.CameraId) || request.To <= request.From)
        {
            LogRefused(logger, request.HoldId, request.CameraId, request.From, request.To);
            return;
        }

        if (index.FindHold(request.HoldId) is not null)
        {
            // A redelivery: the first placement's confirmation is already in the outbox.
            return;
        }

        var now = time.GetUtcNow();
        index.AddHold(request.HoldId, request.CameraId, request.From, request.To, request.Reason, request.PlacedBy, now);
        await events.ReportAsync(
            new HoldPlaced { CameraId = request.CameraId, OccurredAt = now, HoldId = request.HoldId, From = request.From, To = request.To, Reason = request.Reason, PlacedBy = request.PlacedBy },
            null,
            ct);
    }

    public async Task ReleaseAsync(HoldReleaseRequested request, CancellationToken ct)
    {
        var hold = index.FindHold(request.HoldId);
        index.ReleaseHold(request.HoldId);
        // Confirmed even when unknown here (never delivered, or released before): the Console must not wait forever.
        await events.ReportAsync(
            new HoldReleased { CameraId = hold?.CameraId ?? "recorder", OccurredAt = time.GetUtcNow(), HoldId = request.HoldId, ReleasedBy = request.ReleasedBy },
            null,
            ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hold {HoldId} of camera {CameraId} ({From:o} to {To:o}) refused: bad id, camera or range")]
    private static partial void LogRefused(ILogger logger, string holdId, string cameraId, DateTimeOffset from, DateTimeOffset to);
}

/// <summary>
/// Takes the Console's hold requests off the uplink. It only registers handlers, which must happen before the
/// connection starts: hosted services are all built before any of them starts.
/// </summary>
public sealed class HoldRequestListener : IHostedService
{
    public HoldRequestListener(ConsoleLink link, HoldKeeper holds)
    {
        link.Connection.On<HoldRequested>(nameof(IRecorderClient.PlaceHold), request => holds.PlaceAsync(request, CancellationToken.None));
        link.Connection.On<HoldReleaseRequested>(nameof(IRecorderClient.ReleaseHold), request => holds.ReleaseAsync(request, CancellationToken.None));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
