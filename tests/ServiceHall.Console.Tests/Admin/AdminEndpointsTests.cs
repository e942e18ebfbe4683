using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Admin;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Admin;

/// <summary>The admin API on real Kestrel: site keys issued and revoked, both audited, refused to non-admins.</summary>
public sealed class AdminEndpointsTests
{
    [Fact]
    public async Task Admin_IssuesAKeyShownOnce_RevokesIt_ClosingTheOpenConnection_AndBothAreAudited_NonAdminIsRefused()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();
        using var supervisor = await server.SignedInUserAsync("wang", Roles.Supervisor, "d1");

        var created = await admin.Http.PutAsJsonAsync("/api/admin/sites/hall-k", new { id = "hall-k", name = "K", district = "d1" });
        var issued = await (await admin.Http.PostAsync("/api/admin/sites/hall-k/keys", null)).Content.ReadFromJsonAsync<AdminEndpoints.KeyIssued>();
        await using var open = server.RecorderConnection("hall-k", issued!.Key);
        await open.StartAsync();
        await open.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("K", "1", DateTimeOffset.UtcNow, 1, []));

        var keys = await admin.Http.GetStringAsync("/api/admin/sites/hall-k/keys");
        var revoked = await admin.Http.DeleteAsync($"/api/admin/sites/hall-k/keys/{issued.KeyId}");
        var nextHeartbeat = await Assert.ThrowsAnyAsync<Exception>(() => open.InvokeAsync<HeartbeatAcknowledged>(nameof(IRecorderHub.Heartbeat), new HeartbeatSent("K", "1", DateTimeOffset.UtcNow, 1, [])));
        await Eventually.True(() => open.State == HubConnectionState.Disconnected, TimeSpan.FromSeconds(10), "the revoked Recorder's connection to close");
        await using var refused = server.RecorderConnection("hall-k", issued.Key);
        var afterRevoke = await Assert.ThrowsAsync<HttpRequestException>(() => refused.StartAsync());
        var bySupervisor = await supervisor.Http.PostAsync("/api/admin/sites/hall-k/keys", null);
        var audit = await admin.Http.GetFromJsonAsync<List<AdminEndpoints.AuditView>>("/api/admin/audit");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.DoesNotContain(issued.Key, keys, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.NotNull(nextHeartbeat);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bySupervisor.StatusCode);
        Assert.Contains(audit!, e => e.Action == "SiteKeyIssued" && e.Actor == "admin" && e.Target == "site:hall-k");
        Assert.Contains(audit!, e => e.Action == "SiteKeyRevoked" && e.Detail == $"key {issued.KeyId}");
    }
}
