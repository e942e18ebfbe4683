using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Transport;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Security;

/// <summary>
/// Finding 10 of the security review: sign-in was throttled per client address only and the password change not at
/// all, and any 8-character password was accepted for ever. Each test performs the attack against a real Console on
/// HTTPS and sees it fail, and checks that the legitimate sign-in or change still works.
/// </summary>
public sealed class AccountSecurityTests
{
    private const string ZhaoPassword = "Zhao-counter-7";

    [Fact]
    public async Task GuessingFromRotatingAddresses_LocksTheAccount_WithoutRevealingWhetherItExists_AndItOpensAgainAfterTheLock()
    {
        // Long enough that the guesses after the fifth still meet the lock on a loaded 2-core box (1 s did not).
        await using var server = await ConsoleServer.StartAsync("--Auth:LockoutDuration=00:00:04");
        server.App.Services.GetRequiredService<IUserStore>().Create("zhao", "赵", Roles.Supervisor, ZhaoPassword, mustChangePassword: false);

        // Every guess from its own loopback address: the per-address limit never sees two.
        var real = new List<HttpStatusCode>();
        var made = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            real.Add(await SignInFromAsync(server, $"127.0.0.{10 + i}", "zhao", "guess-" + i));
            made.Add(await SignInFromAsync(server, $"127.0.0.{20 + i}", "nobody-here", "guess-" + i));
        }

        var rightPasswordWhileLocked = await SignInFromAsync(server, "127.0.0.30", "zhao", ZhaoPassword);
        var otherAccount = await SignInFromAsync(server, "127.0.0.30", "admin", ConsoleServer.AdminPassword);

        HttpStatusCode[] expected = [.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests];
        Assert.Equal(expected, real);
        Assert.Equal(expected, made);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPasswordWhileLocked);
        Assert.Equal(HttpStatusCode.OK, otherAccount);
        Assert.Contains(server.App.Services.GetRequiredService<AuditLog>().Recent(100), e => e is { Action: AuditActions.AccountLocked, Actor: "zhao" });

        await Eventually.True(() => server.App.Services.GetRequiredService<AccountLockout>().LockedFor("zhao") is null, TimeSpan.FromSeconds(30), "the lock to lapse");
        Assert.Equal(HttpStatusCode.OK, await SignInFromAsync(server, "127.0.0.31", "zhao", ZhaoPassword));
        // The success reset the count: one more mistake is an ordinary 401, not a lock.
        Assert.Equal(HttpStatusCode.Unauthorized, await SignInFromAsync(server, "127.0.0.32", "zhao", "one-more-typo"));
    }

    [Fact]
    public async Task ForwardedForHeader_FromAClientThatIsNoKnownProxy_DoesNotEscapeThePerAddressLimit()
    {
        await using var server = await ConsoleServer.StartAsync("--Auth:LoginAttemptsPerMinute=3");
        using var client = server.AnonymousClient();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { user = "user" + i, password = "guess" }) };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            codes.Add((await client.SendAsync(request)).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], codes);
        Assert.All(server.App.Services.GetRequiredService<AuditLog>().Recent(10).Where(e => e.Action == AuditActions.SignInFailed), e => Assert.Equal("127.0.0.1", e.Detail));
    }

    [Fact]
    public async Task GuessingTheCurrentPasswordWithAStolenSession_LocksThePasswordChange()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var stolen = await server.SignedInClientAsync();
        var current = ConsoleServer.AdminPassword + "-changed";

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            codes.Add((await stolen.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "guess-" + i, newPassword = "Owned-by-thief-1" })).StatusCode);
        }

        var rightOneWhileLocked = await stolen.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = current, newPassword = "Owned-by-thief-1" });

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.BadRequest, 5), HttpStatusCode.TooManyRequests], codes);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightOneWhileLocked.StatusCode);
        Assert.NotNull(server.App.Services.GetRequiredService<IUserStore>().Verify("admin", current));
    }

    [Theory]
    [InlineData("Short-1")]
    [InlineData("onlylowercaseletters")]
    [InlineData("lowercase-and-symbols")]
    [InlineData("UPPERandLOWERonly")]
    public async Task WeakNewPassword_IsRefused(string weak)
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();

        var change = await admin.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = ConsoleServer.AdminPassword + "-changed", newPassword = weak });
        var newUser = await admin.Http.PutAsJsonAsync("/api/admin/users/qian", new { displayName = "钱", role = Roles.Viewer, password = weak });

        Assert.Equal(HttpStatusCode.BadRequest, change.StatusCode);
        Assert.Contains("12", (await change.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, newUser.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.PutAsJsonAsync("/api/admin/users/qian", new { displayName = "钱", role = Roles.Viewer, password = "Qian-initial-1" })).StatusCode);
    }

    [Fact]
    public async Task ReusingOneOfTheLastPasswords_IsRefused_WhileAFreshOneIsAcceptedAndAudited()
    {
        await using var server = await ConsoleServer.StartAsync();
        using var admin = await server.SignedInClientAsync();
        var first = ConsoleServer.AdminPassword;
        var second = ConsoleServer.AdminPassword + "-changed";

        var third = await admin.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = second, newPassword = "Third-password-3" });
        var backToSecond = await admin.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Third-password-3", newPassword = second });
        var backToFirst = await admin.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Third-password-3", newPassword = first });
        var same = await admin.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Third-password-3", newPassword = "Third-password-3" });
        var fourth = await admin.Http.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Third-password-3", newPassword = "Fourth-password-4" });

        Assert.Equal(HttpStatusCode.NoContent, third.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, backToSecond.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, backToFirst.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, fourth.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.Http.GetAsync("/api/sites")).StatusCode);
        // The forced first change and the two accepted ones.
        Assert.Equal(3, server.App.Services.GetRequiredService<AuditLog>().Recent(100).Count(e => e is { Action: AuditActions.PasswordChanged, Target: "user:admin" }));
    }

    [Fact]
    public async Task ExpiredPassword_MustBeChangedBeforeTheApiAnswers()
    {
        await using var server = await ConsoleServer.StartAsync("--Auth:PasswordMaxAgeDays=30");
        var user = server.App.Services.GetRequiredService<IUserStore>().Create("sun", "孙", Roles.Admin, "Sun-password-31", mustChangePassword: false);
        user.PasswordChangedAt = DateTimeOffset.UtcNow.AddDays(-31);
        server.App.Services.GetRequiredService<ConsoleDatabase>().Database.GetCollection<UserRecord>("users").Update(user);
        using var client = TestTls.Client(server.BaseAddress, new CookieContainer());

        var login = await client.PostAsJsonAsync("/api/auth/login", new { user = "sun", password = "Sun-password-31" });
        var me = await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var beforeChange = await client.GetAsync("/api/sites");
        var change = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Sun-password-31", newPassword = "Sun-password-32" });
        var afterChange = await client.GetAsync("/api/sites");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(me.GetProperty("mustChangePassword").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, beforeChange.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterChange.StatusCode);
    }

    [Theory]
    [InlineData("--Auth:PasswordMinLength=8", "Auth:PasswordMinLength")]
    [InlineData("--Auth:PasswordMaxAgeDays=-1", "Auth:PasswordMaxAgeDays")]
    [InlineData("--Auth:LockoutThreshold=0", "Auth:LockoutThreshold")]
    public void WeakerAccountSettings_StopTheStart(string setting, string key)
    {
        using var data = new TempDirectory();

        var ex = Assert.Throws<OptionsValidationException>(() => ConsoleApp.Build([.. TestTls.ConsoleArgs(), $"--Storage:DataDirectory={data.Path}", setting]));

        Assert.Contains(ex.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public void LockGrowsExponentiallyUpToTheCap()
    {
        var settings = new AuthOptions { LockoutThreshold = 5, LockoutDuration = TimeSpan.FromMinutes(1), LockoutMaxDuration = TimeSpan.FromMinutes(10) };
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-02T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var lockout = new AccountLockout(new ServiceHall.Console.Cluster.SingleNodeBus(), Options.Create(settings), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccountLockout>.Instance);

        var locks = new List<TimeSpan?>();
        for (var i = 0; i < 9; i++)
        {
            locks.Add(lockout.Failed("Zhao"));
            time.Advance(TimeSpan.FromMinutes(20));
        }

        TimeSpan?[] expected = [null, null, null, null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(10)];
        Assert.Equal(expected, locks);
        lockout.Succeeded("zhao");
        Assert.Null(lockout.Failed("zhao"));
    }

    private static async Task<HttpStatusCode> SignInFromAsync(ConsoleServer server, string sourceAddress, string user, string password)
    {
        var handler = TestTls.Trust.CreateHandler();
        handler.UseCookies = false;
        handler.ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        // As the sign-in page sends it: a POST without it is refused as forged before the password is looked at.
        client.DefaultRequestHeaders.Add(RequestForgery.HeaderName, "1");
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { user, password });
        return response.StatusCode;
    }
}
