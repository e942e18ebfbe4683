using System.Diagnostics;

namespace ServiceHall.Testing;

/// <summary>GStreamer's RTSP server on 127.0.0.1 (tools/rtsp-camera.py under /usr/bin/python3), started and stopped by a test.</summary>
public sealed class RtspCamera : IAsyncDisposable
{
    private Process? _process;

    public RtspCamera(int port, params string[] mounts)
    {
        Port = port;
        Mounts = mounts;
    }

    public int Port { get; }

    public IReadOnlyList<string> Mounts { get; }

    /// <summary>User name and password every mount asks for (RTSP basic auth), as real cameras do; none when null.</summary>
    public (string User, string Password)? Credentials { get; init; }

    public string Url(string mount) => $"rtsp://127.0.0.1:{Port}/{mount.TrimStart('/')}";

    /// <summary>Starts a server with a moving test pattern on each mount, e.g. <c>("cam1", 640, 360)</c>.</summary>
    public static Task<RtspCamera> StartTestPatternAsync(string mount, int width, int height, int fps = 10) =>
        StartAsync(Loopback.FreePort(), $"/{mount}=test:{width}x{height}@{fps}");

    /// <summary>
    /// Starts a server re-sending pre-encoded real footage (no encoding), e.g. <c>("main", CameraFiles.Test("b-main"))</c>:
    /// each file is served looped forever under its mount.
    /// </summary>
    public static Task<RtspCamera> StartFilesAsync(params (string Mount, string File)[] mounts) =>
        StartAsync(Loopback.FreePort(), [.. mounts.Select(m => $"/{m.Mount.TrimStart('/')}=file:{m.File}")]);

    public static async Task<RtspCamera> StartAsync(int port, params string[] mounts)
    {
        var camera = new RtspCamera(port, mounts);
        await camera.StartAsync();
        return camera;
    }

    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoRoot.Path, "tools", "rtsp-camera.py"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var mount in Mounts)
        {
            start.ArgumentList.Add("--mount");
            start.ArgumentList.Add(mount);
        }

        if (Credentials is var (user, password))
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(user);
            start.ArgumentList.Add("--password");
            start.ArgumentList.Add(password);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the RTSP server");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await _process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("ready", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"RTSP server did not start: {line}");
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>
/// The camera files of tools/footage/encode-streams.sh (real footage, upscaled; 25 fps, GOP 50): <c>a-main</c> 1080p
/// H.264, <c>b-main</c> 1440p H.265, <c>sub</c> 360p H.264. The tests' set (10 s each) is encoded by <c>./hall.sh test</c>.
/// </summary>
public static class CameraFiles
{
    public static string Test(string name)
    {
        var path = System.IO.Path.Combine(RepoRoot.Path, ".cache", "streams", "test", name + ".mkv");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: ./hall.sh test encodes it (tools/footage/encode-streams.sh)", path);
    }
}

/// <summary>The repository root, found from the test assembly's folder.</summary>
public static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "ServiceHall.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ServiceHall.sln not found above " + AppContext.BaseDirectory);
    }
}
