using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using ServiceHall.Recorder.Uplink;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Live;

/// <summary>What the Console last said is being viewed; nobody while the link is down (the Console re-sends on connect).</summary>
public sealed partial class WatchedCameras
{
    private CamerasWatched _current = CamerasWatched.Nobody;

    public WatchedCameras(ConsoleLink link, ReportTrigger report, ILogger<WatchedCameras> logger)
    {
        link.Connection.On<CamerasWatched>(nameof(IRecorderClient.WatchCameras), watched =>
        {
            Volatile.Write(ref _current, watched);
            LogWatched(logger, watched.AllCameras, watched.CameraIds, watched.LiveCameraIds);
            // Wake the heartbeat so a newly watched camera's picture goes out now, not at the next beat.
            report.Signal();
        });
        link.Connection.Closed += _ =>
        {
            Volatile.Write(ref _current, CamerasWatched.Nobody);
            return Task.CompletedTask;
        };
    }

    public CamerasWatched Current => Volatile.Read(ref _current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watched now: all cameras {All}, cameras {Cameras}, live {Live}")]
    private static partial void LogWatched(ILogger logger, bool all, IReadOnlyList<string> cameras, IReadOnlyList<string> live);
}
