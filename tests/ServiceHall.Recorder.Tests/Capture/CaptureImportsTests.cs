using System.Text.RegularExpressions;

namespace ServiceHall.Recorder.Tests.Capture;

/// <summary>
/// Recording and Live import Capture (its options, its frames); Capture reaches them only through the output
/// interfaces it owns (IRecordingOutput, ILiveOutput), so the folders never import each other. Read from the source.
/// </summary>
public sealed partial class CaptureImportsTests
{
    [Fact]
    public void CaptureFolder_NamesNeitherRecordingNorLive()
    {
        var capture = Path.Combine(RecorderSource(), "Capture");
        var files = Directory.GetFiles(capture, "*.cs", SearchOption.AllDirectories);

        var offending = files
            .SelectMany(f => OutputFeature().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"))
            .ToList();

        Assert.True(files.Length >= 10, $"found only {files.Length} files under {capture}");
        Assert.True(offending.Count == 0, string.Join("; ", offending));
    }

    private static string RecorderSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Recorder");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/Recorder not found above the test's folder");
    }

    [GeneratedRegex(@"ServiceHall\.Recorder\.(Recording|Live)\b|(?<![\w.])(Recording|Live)\.[A-Z]\w*", RegexOptions.CultureInvariant)]
    private static partial Regex OutputFeature();
}
