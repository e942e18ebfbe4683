using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using ServiceHall.Console.Audit;

namespace ServiceHall.Console.Auth;

/// <summary>Sign-in, sign-out, password change and "who am I" for the supervisors' web UI.</summary>
public static partial class AuthEndpoints
{
    public const string LoginRateLimit = "login";

    public const string PasswordRateLimit = "password";

    /// <summary>Claim present while the user still has to change the initial password; the default policy refuses it.</summary>
    public const string MustChangeClaim = "servicehall:must-change-password";

    // Nullable: a body missing a field is the client's mistake (400), not a server error.
    public sealed record LoginRequest(string? User, string? Password);

    public sealed record PasswordChangeRequest(string? CurrentPassword, string? NewPassword);

    public sealed record Me(string User, string DisplayName, string Role, bool MustChangePassword);

    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth");
        group.MapPost("/login", LoginAsync).RequireRateLimiting(LoginRateLimit).AllowAnonymous();
        group.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        });
        group.MapGet("/me", Results<Ok<Me>, UnauthorizedHttpResult> (CurrentUser user, PasswordPolicy policy) =>
            user.Record is { } record
                ? TypedResults.Ok(new Me(record.Id, record.DisplayName, record.Role, policy.MustChange(record)))
                : TypedResults.Unauthorized()).RequireAuthorization(Policies.SignedIn);
        group.MapPost("/password", ChangePasswordAsync).RequireRateLimiting(PasswordRateLimit).RequireAuthorization(Policies.SignedIn);
        return app;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(PasswordChangeRequest request, CurrentUser current, IUserStore users, AccountLockout lockout, PasswordPolicy policy, AuditLog audit, HttpContext http)
    {
        if (request is not { CurrentPassword: { } currentPassword, NewPassword: { } newPassword })
        {
            return TypedResults.Problem("需要 currentPassword 和 newPassword / currentPassword and newPassword are required", statusCode: StatusCodes.Status400BadRequest);
        }

        // A stolen session must not become a way to guess the password around the sign-in lockout.
        if (lockout.LockedFor(current.Name) is { } wait)
        {
            return Locked(http, wait);
        }

        var user = users.Verify(current.Name, currentPassword);
        if (user is null)
        {
            lockout.Failed(current.Name);
            return TypedResults.Problem("当前密码不正确 / current password is wrong", statusCode: StatusCodes.Status400BadRequest);
        }

        lockout.Succeeded(user.Id);
        if (policy.Weakness(newPassword) is { } weakness)
        {
            return TypedResults.Problem(weakness, statusCode: StatusCodes.Status400BadRequest);
        }

        if (users.IsRecent(user, newPassword))
        {
            return TypedResults.Problem($"新密码不能与最近 {PasswordPolicy.RecentPasswords} 次使用的密码相同 / the new password must differ from your last {PasswordPolicy.RecentPasswords} passwords", statusCode: StatusCodes.Status400BadRequest);
        }

        users.ChangePassword(user, newPassword);
        audit.Append(user.Id, AuditActions.PasswordChanged, $"user:{user.Id}");
        await SignInAsync(http, user, mustChange: false);
        return TypedResults.NoContent();
    }

    /// <summary>The answer to a locked account; the same for names that do not exist.</summary>
    private static ProblemHttpResult Locked(HttpContext http, TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem($"登录失败次数过多，账户已暂时锁定，请 {seconds} 秒后再试 / too many failed sign-ins for this account; try again in {seconds} s", statusCode: StatusCodes.Status429TooManyRequests);
    }

    private static Task SignInAsync(HttpContext http, UserRecord user, bool mustChange)
    {
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        List<Claim> claims = [new(ClaimTypes.Name, user.Id), new(ClaimTypes.Role, user.Role), .. UserSessions.SessionClaims(user, now)];
        if (mustChange)
        {
            claims.Add(new Claim(MustChangeClaim, "1"));
        }

        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static async Task<Results<Ok<Me>, ProblemHttpResult>> LoginAsync(LoginRequest request, HttpContext http, IUserStore users, AccountLockout lockout, PasswordPolicy policy, AuditLog audit, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AuthEndpoints));
        if (request is not { User: { } userName, Password: { } password })
        {
            return TypedResults.Problem("需要 user 和 password / user and password are required", statusCode: StatusCodes.Status400BadRequest);
        }

        var name = userName.Length > 64 ? userName[..64] : userName;
        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        // Checked before the password, so a locked account answers alike whether the guess was right or not.
        if (lockout.LockedFor(name) is { } wait)
        {
            LogSignInLocked(logger, name, remote);
            return Locked(http, wait);
        }

        var user = userName.Length is > 0 and <= 64 && password.Length <= 256 ? users.Verify(userName, password) : null;
        if (user is null)
        {
            LogSignInFailed(logger, name, remote);
            audit.Append(name, AuditActions.SignInFailed, "console", remote);
            if (lockout.Failed(name) is { } lockFor)
            {
                audit.Append(name, AuditActions.AccountLocked, "console", $"{remote}, {lockFor}");
            }

            return TypedResults.Problem("用户名或密码错误 / wrong user name or password", statusCode: StatusCodes.Status401Unauthorized);
        }

        lockout.Succeeded(name);
        var mustChange = policy.MustChange(user);
        await SignInAsync(http, user, mustChange);
        LogSignedIn(logger, user.Id);
        audit.Append(user.Id, AuditActions.SignedIn, "console", remote);
        return TypedResults.Ok(new Me(user.Id, user.DisplayName, user.Role, mustChange));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for '{User}' from {Remote}")]
    private static partial void LogSignInFailed(ILogger logger, string user, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused for locked account '{User}' from {Remote}")]
    private static partial void LogSignInLocked(ILogger logger, string user, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "User '{User}' signed in")]
    private static partial void LogSignedIn(ILogger logger, string user);
}
