using System.Collections.Concurrent;
using System.Diagnostics;

namespace ServiceHall.Recorder.Tests.Uplink;

/// <summary>A real Console or Recorder process started from the test's build output, its output drained, killed on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Output { get; } = new();

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string app, params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, app))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {app}");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Record(e.Data);
        process.ErrorDataReceived += (_, e) => child.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs a command to its end and returns its exit code.</summary>
    public static async Task<int> RunAsync(string app, params string[] args)
    {
        using var child = Start(app, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await child._process.WaitForExitAsync(timeout.Token);
        return child._process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a power cut of the process.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }

    private void Record(string? line)
    {
        if (line is not null && Output.Count < 5000)
        {
            Output.Enqueue(line);
        }
    }
}
