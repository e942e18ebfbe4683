using System.Diagnostics;
using ServiceHall.Recorder.Capture;
using ServiceHall.Recorder.Recording;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Recording;

/// <summary>The recordings' disk fills up while ffmpeg writes: a real small tmpfs (needs root; skipped where mount is refused).</summary>
public sealed class DiskFullTests
{
    [SkippableFact]
    public async Task DiskFullWhileWriting_IsReportedAnalysisGoesOnAndRecordingResumesWhenSpaceReturns()
    {
        using var disk = new TempDirectory();
        var refusal = await RunAsync("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", disk.Path);
        Skip.If(refusal is not null, $"cannot mount a tmpfs here (this test needs root): {refusal}");
        try
        {
            await using var camera = await RtspCamera.StartTestPatternAsync("cam", 320, 240, 10);
            using var rig = new RecordingRig(configure: o => o.Directory = disk.Path);
            var frames = new FrameCounter();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
            await rig.Collector.StartAsync(cts.Token);
            var run = rig.Capture("cam-1", camera.Url("cam"), analysis: frames).RunAsync(cts.Token);
            await Eventually.True(() => rig.Index.ForCamera("cam-1").Count >= 1, TimeSpan.FromSeconds(30), "a first segment");

            var filler = Path.Combine(disk.Path, "filler.bin");
            FillUp(filler);
            var diskLow = await Eventually.Until(() => rig.Sink.OfType<DiskLow>() is [var d, ..] ? d : null, TimeSpan.FromSeconds(30), "DiskLow");
            var framesWhenFull = frames.Count;
            await Eventually.True(() => frames.Count >= framesWhenFull + 3, TimeSpan.FromSeconds(30), "analysis frames while the disk is full");

            File.Delete(filler);
            var spaceBack = DateTimeOffset.UtcNow;
            var gap = await Eventually.Until(() => rig.Sink.OfType<RecordingGap>() is [var g, ..] ? g : null, TimeSpan.FromSeconds(45), "the RecordingGap of the full disk");
            await Eventually.True(() => rig.Index.ForCamera("cam-1").Count(s => s.Start >= spaceBack) >= 2, TimeSpan.FromSeconds(45), "segments recorded after space returned");
            await cts.CancelAsync();
            await run;
            await rig.Collector.StopAsync(CancellationToken.None);

            Assert.Contains("No space left on device", diskLow.Reason, StringComparison.Ordinal);
            Assert.Equal("recording failed: No space left on device", gap.Cause);
            Assert.True(gap.To > gap.From);
            Assert.Empty(rig.Sink.OfType<CameraLost>());
            Assert.All(rig.Index.ForCamera("cam-1"), s => Assert.True(File.Exists(Path.Combine(rig.Sessions.Root, s.Path)), s.Path));
        }
        finally
        {
            await RunAsync("umount", "-l", disk.Path);
        }
    }

    /// <summary>Writes until the disk refuses.</summary>
    private static void FillUp(string path)
    {
        var chunk = new byte[1 << 20];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough);
        try
        {
            while (true)
            {
                file.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full: what the test wants. Whatever fits of the last chunk stays written.
        }
    }

    /// <summary>Runs a command; null when it succeeded, else its error output.</summary>
    private static async Task<string?> RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? null : $"{command} exited {process.ExitCode}: {stderr.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{command}: {ex.Message}";
        }
    }

    private sealed class FrameCounter : IFrameConsumer
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ValueTask OnFrameAsync(CameraFrame frame, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }
}
