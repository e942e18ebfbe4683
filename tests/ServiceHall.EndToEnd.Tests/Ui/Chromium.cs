using Microsoft.Playwright;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>Debian's headless Chromium driven by Playwright; no browser download, no network but loopback.</summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>A home folder whose NSS database trusts the test CA: Chromium on Linux reads its locally added roots there.</summary>
    private static readonly Lazy<string> TrustingHome = new(MakeTrustingHome);

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Env = new Dictionary<string, string> { ["HOME"] = TrustingHome.Value },
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return (playwright, browser);
    }

    private static string MakeTrustingHome()
    {
        // One per test run, removed by the OS's temp cleaning; it holds only a public CA certificate.
        var home = Directory.CreateTempSubdirectory("servicehall-chromium-home-").FullName;
        var nssdb = Path.Combine(home, ".pki", "nssdb");
        Directory.CreateDirectory(nssdb);
        Certutil("-N", "-d", $"sql:{nssdb}", "--empty-password");
        Certutil("-A", "-d", $"sql:{nssdb}", "-n", "servicehall-test-ca", "-t", "C,,", "-i", TestTls.CaPath);
        return home;
    }

    private static void Certutil(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("certutil") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"certutil {string.Join(' ', args)} failed ({process.ExitCode}): {error} (./hall.sh setup installs libnss3-tools)");
        }
    }

    /// <summary>Saves a screenshot under <c>artifacts/screenshots/</c> at the repository root, kept after the run.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepoRoot.Path, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}

/// <summary>UI tests run one at a time: each starts a Console and a Chromium, and two shared cores hold only so many.</summary>
[CollectionDefinition(Name)]
public sealed class ChromiumCollection
{
    public const string Name = "Chromium";
}

/// <summary>One headless Chromium per test class instance, with the patient expect timeout two shared cores need.</summary>
[Collection(ChromiumCollection.Name)]
public abstract class ChromiumTest : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    protected IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser starts in InitializeAsync");

    public async Task InitializeAsync()
    {
        // Two shared cores run the Console, a Recorder, ffmpeg and Chromium at once: be patient, not flaky.
        Assertions.SetDefaultExpectTimeout(20_000);
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
