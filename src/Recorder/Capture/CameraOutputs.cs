using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Where a camera's main stream is recorded (stream copy into segments). Recording implements it, so Capture does
/// not import Recording; each ffmpeg run of the camera is one <see cref="IRecordingRun"/>.
/// </summary>
public interface IRecordingOutput
{
    /// <summary>Target length of a segment; ffmpeg cuts at the next key frame.</summary>
    TimeSpan SegmentLength { get; }

    /// <summary>Starts the recording of one ffmpeg run of the camera; null when recording is off.</summary>
    IRecordingRun? Begin(string cameraId);
}

/// <summary>The recording of one ffmpeg run (one RTSP session) of a camera.</summary>
public interface IRecordingRun
{
    /// <summary>The ffmpeg segment pattern the run writes to.</summary>
    string SegmentPattern { get; }

    /// <summary>The wall time of the run's first frame: the anchor of its stream clock.</summary>
    void MarkFirstFrame(DateTimeOffset at);

    /// <summary>ffmpeg could not write the recording (its analysis goes on); returns the event to report, if any (a full disk).</summary>
    SiteEvent? Failed(string reason);

    /// <summary>Whether a recording stopped by a write failure may start again.</summary>
    bool CanResume();

    /// <summary>Ends the run; <paramref name="gapCause"/> (when not null) explains the hole before the camera's next segment.</summary>
    void End(string? gapCause);
}

/// <summary>The rolling live-video output of a camera's ffmpeg. Live implements it, so Capture does not import Live.</summary>
public interface ILiveOutput
{
    /// <summary>Whether live video comes from the main stream even when the camera has a sub stream (<c>Live:Source</c> = <c>main</c>).</summary>
    bool FromMainStream { get; }

    /// <summary>The ffmpeg output options of a new run of the camera's live source, or null when live video is off.</summary>
    string? Begin(string cameraId);
}
