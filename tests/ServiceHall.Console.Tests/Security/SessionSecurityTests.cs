using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using ServiceHall.Console.Admin;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 2 of the security review: sessions were never re-checked. Each test performs the attack with a real
/// cookie against a real Console on HTTPS and sees it fail, and checks that the legitimate session goes on.
/// </summary>
public sealed class SessionSecurityTests
{
    private static readonly string[] District1 = ["d1"];

    [Fact]
    public async Task DemotedAdmin_WithHerOldCookie_CannotCreateAnAdmin_WhileTheDemotingAdminGoesOn()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();
        using var li = await server.SignedInUserAsync("li", Roles.Admin);
        var beforeDemotion = await li.Http.GetAsync("/api/admin/users");

        var demoted = await admin.Http.PutAsJsonAsync("/api/admin/users/li", new { displayName = "li", role = Roles.Viewer, districts = District1 });
        var attack = await li.Http.PutAsJsonAsync("/api/admin/users/mallory", new { displayName = "m", role = Roles.Admin, password = "mallory-password-1" });
        var adminGoesOn = await admin.Http.GetFromJsonAsync<List<AdminEndpoints.UserView>>("/api/admin/users");

        Assert.Equal(HttpStatusCode.OK, beforeDemotion.StatusCode);
        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, attack.StatusCode);
        Assert.DoesNotContain(adminGoesOn!, u => u.Id == "mallory");
        Assert.Equal(Roles.Viewer, Assert.Single(adminGoesOn!, u => u.Id == "li").Role);
    }

    [Fact]
    public async Task StolenCookie_AfterThePasswordChange_IsRefused_WhileTheOwnerGetsAFreshCookieAndGoesOn()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var owner = await server.SignedInUserAsync("zhao", Roles.Supervisor, "d1");
        var thiefCookies = new System.Net.CookieContainer();
        thiefCookies.Add(owner.Cookies.GetAllCookies());
        using var thief = TestTls.Client(server.BaseAddress, thiefCookies);
        var stolenWorks = await thief.GetAsync("/api/auth/me");

        var changed = await owner.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = ConsoleServer.AdminPassword + "-changed", newPassword = "another-password-2" });
        var ownerGoesOn = await owner.Http.GetAsync("/api/auth/me");
        var stolenAfter = await thief.GetAsync("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, stolenWorks.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Contains(changed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("servicehall=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, ownerGoesOn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stolenAfter.StatusCode);
    }

    [Fact]
    public async Task DisabledUser_IsRefused_HerOpenMonitorConnectionCloses_SheCannotSignIn_AndItIsAudited()
    {
        await using var server = await ConsoleServer.StartAsync();
        server.AddSite("hall-a", district: "d1");
        using var admin = await server.SignedInClientAsync();
        using var sun = await server.SignedInUserAsync("sun", Roles.Supervisor, "d1");
        await using var monitor = server.MonitorConnection(sun);
        await monitor.StartAsync();
        await monitor.InvokeAsync<IReadOnlyList<SiteStatusChanged>>(nameof(IMonitorHub.WatchAll));

        var disabled = await admin.Http.PutAsJsonAsync("/api/admin/users/sun/disabled", new { disabled = true });
        await Eventually.True(() => monitor.State == HubConnectionState.Disconnected, TimeSpan.FromSeconds(10), "the disabled user's monitor connection to close");
        var request = await sun.Http.GetAsync("/api/auth/me");
        var signIn = await server.AnonymousClient().PostAsJsonAsync("/api/auth/login", new { user = "sun", password = ConsoleServer.AdminPassword + "-changed" });
        await using var reconnect = server.MonitorConnection(sun);
        var reconnectRefused = await Assert.ThrowsAnyAsync<Exception>(() => reconnect.StartAsync());
        var selfDisable = await admin.Http.PutAsJsonAsync("/api/admin/users/admin/disabled", new { disabled = true });
        var enabled = await admin.Http.PutAsJsonAsync("/api/admin/users/sun/disabled", new { disabled = false });
        var signInAgain = await server.AnonymousClient().PostAsJsonAsync("/api/auth/login", new { user = "sun", password = ConsoleServer.AdminPassword + "-changed" });
        var audit = await admin.Http.GetFromJsonAsync<List<AdminEndpoints.AuditView>>("/api/admin/audit");

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await disabled.Content.ReadFromJsonAsync<AdminEndpoints.UserView>())!.Disabled);
        Assert.Equal(HttpStatusCode.Unauthorized, request.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
        Assert.NotNull(reconnectRefused);
        Assert.Equal(HttpStatusCode.BadRequest, selfDisable.StatusCode);
        Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signInAgain.StatusCode);
        Assert.Contains(audit!, e => e.Action == AuditActions.UserDisabled && e.Target == "user:sun" && e.Actor == "admin");
        Assert.Contains(audit!, e => e.Action == AuditActions.UserEnabled && e.Target == "user:sun");
    }

    [Fact]
    public async Task Session_EndsAtItsAbsoluteLifetime_HoweverActive_AndSigningInAgainWorks()
    {
        await using var server = await ConsoleServer.StartAsync("--Auth:SessionAbsoluteLifetime=00:00:05");
        using var admin = await server.SignedInClientAsync();
        var fresh = await admin.Http.GetAsync("/api/auth/me");

        // Keep the session busy: the sliding lifetime would renew it, the absolute one must not.
        await Eventually.True(() => admin.Http.GetAsync("/api/auth/me").GetAwaiter().GetResult().StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(30), "the session to end at its absolute lifetime");
        var again = await admin.Http.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = ConsoleServer.AdminPassword + "-changed" });
        var afterSignIn = await admin.Http.GetAsync("/api/auth/me");

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterSignIn.StatusCode);
    }
}
