using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Viewing;

/// <summary>Tells Recorders which of their cameras are watched: on every change, and to a Recorder as it connects.</summary>
public sealed class ViewingNotifier(ViewerRegistry viewers, IRecorderLink recorders) : IRecorderGreeter, IDisposable
{
    // One send at a time, so two quick changes of one site cannot reach its Recorder in the wrong order.
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Dictionary<string, CamerasWatched> _sent = new(StringComparer.Ordinal);

    /// <summary>Sends each site's watched set if it differs from what was last sent.</summary>
    public async Task NotifyAsync(IReadOnlyList<string> siteIds)
    {
        await _sending.WaitAsync();
        try
        {
            foreach (var siteId in siteIds)
            {
                var watched = viewers.For(siteId);
                if (_sent.TryGetValue(siteId, out var last) && Same(last, watched))
                {
                    continue;
                }

                _sent[siteId] = watched;
                await recorders.Site(siteId).WatchCameras(watched);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>A Recorder that just connected learns the current set, whatever was sent before.</summary>
    public Task GreetAsync(string siteId, IRecorderClient recorder) => recorder.WatchCameras(viewers.For(siteId));

    public void Dispose() => _sending.Dispose();

    internal static bool Same(CamerasWatched a, CamerasWatched b) =>
        a.AllCameras == b.AllCameras && a.CameraIds.SequenceEqual(b.CameraIds) && a.LiveCameraIds.SequenceEqual(b.LiveCameraIds);
}
