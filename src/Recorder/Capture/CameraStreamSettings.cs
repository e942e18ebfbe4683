using ServiceHall.Recorder.Cameras;

namespace ServiceHall.Recorder.Capture;

/// <summary>The keys of a camera that say where its streams are, besides its <see cref="Url"/>.</summary>
public sealed partial class CameraOptions
{
    /// <summary>rtsp:// URL of the camera's sub stream (low resolution) for analysis; optional, built from <see cref="Vendor"/> when that is set.</summary>
    public string? AnalysisUrl { get; set; }

    /// <summary>
    /// <c>hikvision</c>, <c>dahua</c> or <c>uniview</c>: <see cref="Url"/> and <see cref="AnalysisUrl"/> are built from
    /// <see cref="Host"/>, <see cref="Port"/>, <see cref="Channel"/> and the credentials; <c>generic</c>: the URLs are given
    /// and only the credentials are added.
    /// </summary>
    public string? Vendor { get; set; }

    public string? Host { get; set; }

    /// <summary>RTSP port; 554 when not set.</summary>
    public int? Port { get; set; }

    /// <summary>Channel of the camera or NVR, from 1; 1 when not set.</summary>
    public int? Channel { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Name of the environment variable that holds the password, so the password stays out of the settings file.</summary>
    public string? PasswordEnv { get; set; }

    internal CameraAddress Address => new(Url, AnalysisUrl, Vendor, Host, Port, Channel, Username, Password, PasswordEnv);
}

/// <summary>Fills each camera's stream URLs from its vendor preset and credentials before the settings are validated.</summary>
public static class CameraStreamSettings
{
    /// <summary>
    /// Sets <see cref="CameraOptions.Url"/> and <see cref="CameraOptions.AnalysisUrl"/> of every camera whose address
    /// resolves; the others are left as they are, for <see cref="CaptureOptionsValidator"/> to name their bad keys.
    /// </summary>
    public static void Apply(CaptureOptions options, Func<string, string?> environment)
    {
        foreach (var camera in options.Cameras)
        {
            if (CameraAddressing.Resolve(camera.Address, "", environment).Streams is { } streams)
            {
                (camera.Url, camera.AnalysisUrl) = (streams.Url, streams.AnalysisUrl);
            }
        }
    }
}
