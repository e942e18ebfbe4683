using System.Diagnostics;
using System.Globalization;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Deploy;

/// <summary>
/// The systemd units in deploy/systemd: systemd's own checker accepts them without a warning (an unknown or misspelt
/// key is only a warning to systemd, and would silently drop a protection), its offline security review scores them
/// OK, and the hardening keys this project promises are there with their values.
/// </summary>
public sealed class SystemdUnitTests
{
    public static TheoryData<string, string> Units => new()
    {
        { "servicehall-console.service", "/var/lib/servicehall/console" },
        { "servicehall-recorder.service", "/var/lib/servicehall/recorder" },
    };

    [Theory]
    [MemberData(nameof(Units))]
    public void Unit_DeclaresTheHardeningAndItsDataDirectory(string unit, string dataDirectory)
    {
        var keys = File.ReadLines(UnitPath(unit))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('[') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => (Key: l[..l.IndexOf('=', StringComparison.Ordinal)], Value: l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]))
            .ToLookup(k => k.Key, k => k.Value, StringComparer.Ordinal);

        Assert.Equal("servicehall", Assert.Single(keys["User"]));
        Assert.Equal("strict", Assert.Single(keys["ProtectSystem"]));
        Assert.Equal(dataDirectory, Assert.Single(keys["ReadWritePaths"]));
        Assert.Equal("servicehall/" + Path.GetFileName(dataDirectory), Assert.Single(keys["StateDirectory"]));
        Assert.Equal("0700", Assert.Single(keys["StateDirectoryMode"]));
        Assert.Equal("yes", Assert.Single(keys["NoNewPrivileges"]));
        Assert.Equal("yes", Assert.Single(keys["PrivateTmp"]));
        Assert.Equal("yes", Assert.Single(keys["ProtectHome"]));
        Assert.Equal("on-failure", Assert.Single(keys["Restart"]));
        Assert.Equal("0077", Assert.Single(keys["UMask"]));
        Assert.StartsWith("/etc/servicehall/", Assert.Single(keys["EnvironmentFile"]), StringComparison.Ordinal);
        Assert.DoesNotContain(keys["Environment"], e => e.Contains("Key", StringComparison.OrdinalIgnoreCase) || e.Contains("Password", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Unit_PassesSystemdAnalyzeVerify_AndItsSecurityReview(string unit, string dataDirectory)
    {
        _ = dataDirectory;
        using var root = new TempDirectory();
        // verify insists that ExecStart exists: the same unit, pointed at a stand-in executable under a temp folder.
        var text = (await File.ReadAllTextAsync(UnitPath(unit))).Replace("/opt/servicehall", root.Combine("opt", "servicehall"), StringComparison.Ordinal);
        foreach (var program in new[] { "console/ServiceHall.Console", "recorder/ServiceHall.Recorder" })
        {
            var path = root.Combine("opt", "servicehall", program);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Copy("/bin/true", path);
        }

        var copy = root.Combine(unit);
        await File.WriteAllTextAsync(copy, text);

        var (verifyExit, verifyOutput) = await RunAsync("systemd-analyze", "verify", copy);
        var (_, review) = await RunAsync("systemd-analyze", "security", "--offline=yes", copy);

        Assert.True(verifyExit == 0 && verifyOutput.Length == 0, $"systemd-analyze verify {unit}: exit {verifyExit}\n{verifyOutput}");
        var exposure = review.Split('\n').Single(l => l.Contains("Overall exposure level", StringComparison.Ordinal));
        var score = double.Parse(exposure.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(score <= 4.0, $"{unit}: {exposure.Trim()}");
    }

    private static string UnitPath(string unit) => Path.Combine(RepoRoot.Path, "deploy", "systemd", unit);

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
