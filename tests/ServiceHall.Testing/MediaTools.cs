using System.Diagnostics;
using Xunit;

namespace ServiceHall.Testing;

/// <summary>The ffmpeg suite's programs as tests call them.</summary>
public static class MediaTools
{
    /// <summary>Runs a tool of the ffmpeg suite and returns its stdout; fails the test on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)}: {stderr}");
        return await stdout;
    }
}
