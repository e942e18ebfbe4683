using ServiceHall.Testing;

namespace ServiceHall.Console.Tests;

/// <summary>The Console as composed: every feature's routes are described in the OpenAPI document.</summary>
public sealed class ConsoleServicesTests
{
    [Fact]
    public async Task OpenApiDocument_DescribesTheEndpoints()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var document = await http.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "/api/alerts", "/api/events", "/api/attendance", "/api/sites/{siteId}/windows", "/api/admin/sites/{siteId}/keys", "/api/metrics" })
        {
            Assert.Contains($"\"{path}\"", document, StringComparison.Ordinal);
        }
    }
}
