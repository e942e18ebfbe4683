using Microsoft.Extensions.Options;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests;

/// <summary>The Console as composed: every feature's routes are described, every feature's settings are checked at start.</summary>
public sealed class ConsoleServicesTests
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var http = server.AnonymousClient();

        var document = await http.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/alerts", "/api/events", "/api/attendance", "/api/sites/{siteId}/windows", "/api/admin/sites/{siteId}/keys", "/api/metrics" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_WithBadKeysInEverySection_RefusesToStart_NamingEachKeyAtOnce()
    {
        using var data = new TempDirectory();

        var refused = Assert.Throws<OptionsValidationException>(() => ConsoleApp.Build(
        [
            "--Urls=http://127.0.0.1:0",
            $"--Storage:DataDirectory={data.Path}",
            "--Fleet:HeartbeatInterval=00:00:00.5",
            "--Auth:LoginAttemptsPerMinute=0",
            "--Ingest:MaxEventAge=01:00:00",
            "--Alerts:EscalateAfter=00:00:01",
            "--Viewing:LiveSegments=1",
        ]));

        Assert.Equal(
            [
                "Fleet:HeartbeatInterval must be at least 00:00:01",
                "Auth:LoginAttemptsPerMinute must be at least 1",
                "Ingest:MaxEventAge 01:00:00 must be at least 1.00:00:00.",
                "Alerts:EscalateAfter 00:00:01 must be at least 00:00:10.",
                "Viewing:LiveSegments 1 must be between 3 and 30.",
            ],
            refused.Failures);
    }
}
