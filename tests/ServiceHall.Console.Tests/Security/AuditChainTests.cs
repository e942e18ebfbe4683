using System.Net;
using System.Net.Http.Json;
using LiteDB;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Admin;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Viewing;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 6 of the security review: the audit log could be edited without a trace, was never pruned on a schedule
/// one could rely on, missed live viewing, and came back whole or not at all. Each test changes or removes entries the
/// way someone with the database file would and sees the chain check name the place, and checks the log reads and
/// pages as it should when nobody did.
/// </summary>
public sealed class AuditChainTests
{
    [Fact]
    public async Task EditingAnEntryInTheDatabase_IsNamedByTheCheck_WhileAnUntouchedLogVerifies()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();
        var audit = server.App.Services.GetRequiredService<AuditLog>();
        var target = Enumerable.Range(0, 5).Select(i => audit.Append("admin", AuditActions.RecordingExported, $"clip:c{i}")).ToList()[2];
        var before = await admin.Http.GetFromJsonAsync<AuditChainReport>("/api/admin/audit/verify");

        // Someone with the file hides who exported the clip.
        var raw = server.App.Services.GetRequiredService<ConsoleDatabase>().Database.GetCollection("audit");
        var document = raw.FindById(target.Id);
        document["Actor"] = "nobody";
        raw.Update(document);
        var after = await admin.Http.GetFromJsonAsync<AuditChainReport>("/api/admin/audit/verify");

        Assert.True(before!.Intact);
        Assert.False(after!.Intact);
        Assert.Equal(target.Id, after.FirstBrokenId);
    }

    [Fact]
    public async Task DeletingAnEntryFromTheDatabase_IsNamedByTheCheck_AtTheEntryAfterIt()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();
        var audit = server.App.Services.GetRequiredService<AuditLog>();
        var entries = Enumerable.Range(0, 5).Select(i => audit.Append("admin", AuditActions.RecordingViewed, $"clip:c{i}")).ToList();

        server.App.Services.GetRequiredService<ConsoleDatabase>().Database.GetCollection("audit").Delete(entries[1].Id);
        var report = await admin.Http.GetFromJsonAsync<AuditChainReport>("/api/admin/audit/verify");

        Assert.False(report!.Intact);
        Assert.Equal(entries[2].Id, report.FirstBrokenId);
        Assert.Contains("removed", report.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditingTheStoppedConsolesFile_IsFoundByTheAuditVerifyCommand()
    {
        using var data = new TempDirectory();
        int editedId;
        await using (var server = await ConsoleServer.StartAsync($"--Storage:DataDirectory={data.Path}"))
        {
            using var admin = await server.SignedInClientAsync();
            editedId = server.App.Services.GetRequiredService<AuditLog>().Append("admin", AuditActions.CaseKept, "case:k1", "投诉 1").Id;
            server.App.Services.GetRequiredService<AuditLog>().Append("admin", AuditActions.CaseKept, "case:k2", "投诉 2");
        }

        string[] command = ["audit", "verify", $"--Storage:DataDirectory={data.Path}"];
        var untouched = await ConsoleApp.RunAsync(command);
        var file = Options.Create(new StorageOptions { DataDirectory = data.Path }).Value.DatabasePath;
        using (var db = new LiteDatabase(new ConnectionString { Filename = file, Connection = ConnectionType.Direct }))
        {
            var raw = db.GetCollection("audit");
            var document = raw.FindById(editedId);
            document["Detail"] = "无";
            raw.Update(document);
        }

        var edited = await ConsoleApp.RunAsync(command);
        using var reopened = new ConsoleDatabase(Options.Create(new StorageOptions { DataDirectory = data.Path }));
        var report = new AuditLog(new LiteDbAuditStore(reopened), TimeProvider.System).Verify();

        Assert.Equal(0, untouched);
        Assert.Equal(1, edited);
        Assert.Equal(editedId, report.FirstBrokenId);
    }

    [Fact]
    public async Task Paging_ReturnsEveryEntryExactlyOnce_AndRefusesAnOversizedPage()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();
        var audit = server.App.Services.GetRequiredService<AuditLog>();
        for (var i = 0; i < 1203; i++)
        {
            audit.Append("admin", AuditActions.RecordingViewed, $"clip:c{i}");
        }

        var all = audit.Page(null, int.MaxValue).Select(e => e.Id).ToList();
        var seen = new List<int>();
        var pages = 0;
        for (int? before = null; ; pages++)
        {
            var page = await admin.Http.GetFromJsonAsync<List<AdminEndpoints.AuditView>>($"/api/admin/audit?limit={AdminEndpoints.MaxAuditPage}{(before is { } b ? $"&before={b}" : "")}");
            if (page!.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= AdminEndpoints.MaxAuditPage);
            seen.AddRange(page.Select(e => e.Id));
            before = page[^1].Id;
        }

        var oversized = await admin.Http.GetAsync($"/api/admin/audit?limit={AdminEndpoints.MaxAuditPage + 1}");

        Assert.True(all.Count > 1203);
        Assert.Equal(all, seen);
        Assert.Equal(3, pages);
        Assert.Equal(HttpStatusCode.BadRequest, oversized.StatusCode);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(179)]
    public void RetentionBelowSixMonths_StopsTheStart(int days)
    {
        using var data = new TempDirectory();

        var ex = Assert.Throws<OptionsValidationException>(() => ConsoleApp.Build([.. TestTls.ConsoleArgs(), $"--Storage:DataDirectory={data.Path}", $"--Audit:RetentionDays={days}"]));

        Assert.Contains(ex.Failures, f => f.Contains("Audit:RetentionDays", StringComparison.Ordinal) && f.Contains("180", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LivePlaylistAndSegments_AreAuditedOncePerUserCameraAndHour()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.AddSite("hall-l", district: "d1");
        var streams = server.App.Services.GetRequiredService<LiveStreams>();
        for (var i = 0; i < 3; i++)
        {
            streams.Append("hall-l", "cam-1", 1, i, 2, [(byte)i, 1, 2, 3]);
        }

        using var viewer = await server.SignedInUserAsync("zhou", Roles.Viewer, "d1");
        var playlist = await viewer.Http.GetStringAsync("/api/sites/hall-l/cameras/cam-1/live.m3u8");
        var segment = playlist.Split('\n').First(l => l.EndsWith(".ts", StringComparison.Ordinal));
        var bytes = await viewer.Http.GetByteArrayAsync($"/api/sites/hall-l/cameras/cam-1/{segment}");
        await viewer.Http.GetStringAsync("/api/sites/hall-l/cameras/cam-1/live.m3u8");

        Assert.NotEmpty(bytes);
        var views = server.App.Services.GetRequiredService<AuditLog>().Recent(100).Where(e => e.Action == AuditActions.LiveViewed).ToList();
        var view = Assert.Single(views);
        Assert.Equal(("zhou", "camera:hall-l/cam-1"), (view.Actor, view.Target));
    }
}
