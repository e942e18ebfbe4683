using ServiceHall.Console.Recorders;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>
/// Sends a Recorder that has just connected every clip of its site it has not finished: a request made while it was
/// offline, or one whose upload the link or a restart cut off (the Recorder ignores a request it is already serving
/// and resumes the upload of a clip it has already cut).
/// </summary>
public sealed class ClipGreeter(ClipStore store) : IRecorderGreeter
{
    public async Task GreetAsync(string siteId, IRecorderClient recorder)
    {
        foreach (var clip in store.Unfinished(siteId))
        {
            await recorder.RequestClip(clip.Request());
        }
    }
}
