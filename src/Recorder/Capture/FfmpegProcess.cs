using System.Diagnostics;

namespace ServiceHall.Recorder.Capture;

/// <summary>
/// Runs one long-lived ffmpeg process of a camera (a capture session) as a plain child process. FFMpegCore runs ffmpeg
/// through Instances, which keeps every line ffmpeg prints for the run's result with no bound; a session runs for
/// weeks and prints two lines a frame (the frame times) plus its progress, so that alone grew by about 100 MB a day per
/// camera. Here each stderr line is handed on and dropped.
/// </summary>
public static class FfmpegProcess
{
    /// <summary>
    /// Starts <paramref name="ffmpegPath"/> with <paramref name="arguments"/> (as FFMpegCore builds them), hands its
    /// stdout to <paramref name="readStdout"/> and each stderr line to <paramref name="onStderr"/>, and returns when it has
    /// exited and both are drained. <paramref name="stop"/> asks ffmpeg to finish its outputs (<c>q</c> on stdin, as
    /// a terminal does) and kills it after <paramref name="grace"/> if it has not. Returns ffmpeg's exit code.
    /// </summary>
    public static async Task<int> RunAsync(
        string ffmpegPath,
        string arguments,
        Func<Stream, CancellationToken, Task> readStdout,
        Action<string> onStderr,
        TimeSpan grace,
        CancellationToken stop)
    {
        var start = new ProcessStartInfo(ffmpegPath, arguments)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                onStderr(line);
            }
        };
        process.Start();
        process.BeginErrorReadLine();

        using var reading = new CancellationTokenSource();
        var stdout = readStdout(process.StandardOutput.BaseStream, reading.Token);
        using var killer = new CancellationTokenSource();
        await using (stop.Register(() => Quit(process, grace, killer.Token)))
        {
            await process.WaitForExitAsync(CancellationToken.None);
        }

        await killer.CancelAsync();
        // ffmpeg has exited: its stdout ends, so the reader finishes on its own; a reader stuck in a consumer is released.
        reading.CancelAfter(grace);
        try
        {
            await stdout;
        }
        catch (OperationCanceledException) when (reading.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The pipe broke with the process; what was read has been handed on.
        }

        // The parameterless wait returns once the asynchronous stderr reader has handed on the last line.
        process.WaitForExit();
        return process.ExitCode;
    }

    private static void Quit(Process process, TimeSpan grace, CancellationToken exited)
    {
        try
        {
            process.StandardInput.Write('q');
            process.StandardInput.Flush();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            // Already gone, or stdin closed: the kill below settles it.
        }

        _ = Task.Delay(grace, exited).ContinueWith(
            _ =>
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Exited meanwhile.
                }
            },
            exited,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);
    }
}
