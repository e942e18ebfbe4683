using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.EndToEnd.Tests.Ui;

/// <summary>The admin's audit log page in real headless Chromium: entries a page at a time and the chain check.</summary>
public sealed class AuditUiTests : ChromiumTest
{
    [Fact]
    public async Task Admin_PagesThroughTheLog_AndTheChainCheckShowsAnEditedEntry()
    {
        await using var console = await ConsoleServer.StartAsync();
        var page = await Browser.NewPageAsync();
        await UiSession.SignInAsAdminAsync(page, console);
        var audit = console.App.Services.GetRequiredService<AuditLog>();
        var entries = Enumerable.Range(0, 130).Select(i => audit.Append("admin", AuditActions.RecordingViewed, $"clip:c{i}")).ToList();
        var total = audit.Page(null, 1000).Count;

        await page.ClickAsync("nav a[href='audit.html']");
        var rows = page.Locator("#entries tr");
        await Assertions.Expect(rows).ToHaveCountAsync(100);
        await Assertions.Expect(rows.First).ToContainTextAsync("clip:c129");
        await page.ClickAsync("#older");
        await Assertions.Expect(rows).ToHaveCountAsync(total - 100);
        await Assertions.Expect(page.Locator("#older")).ToBeDisabledAsync();

        await page.ClickAsync("#verify-chain");
        await Assertions.Expect(page.Locator("#chain")).ToContainTextAsync("哈希链完整");
        await Assertions.Expect(page.Locator("#chain")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("ok"));

        var raw = console.App.Services.GetRequiredService<ConsoleDatabase>().Database.GetCollection("audit");
        var document = raw.FindById(entries[40].Id);
        document["Target"] = "clip:other";
        raw.Update(document);
        await page.ClickAsync("#verify-chain");
        await Assertions.Expect(page.Locator("#chain")).ToContainTextAsync($"哈希链断裂于 #{entries[40].Id}");
        await Chromium.ScreenshotAsync(page, "audit-broken-zh");

        await page.ClickAsync("#lang");
        await Assertions.Expect(page.Locator("#chain")).ToContainTextAsync($"Hash chain broken at #{entries[40].Id}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Audit log");
    }
}
