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
        group.MapGet("/me", Results<Ok<Me>, UnauthorizedHttpResult> (CurrentUser user) =>
            user.Record is { } record
                ? TypedResults.Ok(new Me(record.Id, record.DisplayName, record.Role, record.MustChangePassword))
                : TypedResults.Unauthorized()).RequireAuthorization(Policies.SignedIn);
        group.MapPost("/password", async Task<Results<NoContent, ProblemHttpResult>> (PasswordChangeRequest request, CurrentUser current, UserStore users, HttpContext http) =>
        {
            if (request is not { CurrentPassword: { } currentPassword, NewPassword: { } newPassword })
            {
                return TypedResults.Problem("需要 currentPassword 和 newPassword / currentPassword and newPassword are required", statusCode: StatusCodes.Status400BadRequest);
            }

            var user = users.Verify(current.Name, currentPassword);
            if (user is null)
            {
                return TypedResults.Problem("当前密码不正确 / current password is wrong", statusCode: StatusCodes.Status400BadRequest);
            }

            if (newPassword.Length < 8 || newPassword == currentPassword)
            {
                return TypedResults.Problem("新密码至少 8 位且不能与旧密码相同 / the new password needs 8+ characters and must differ", statusCode: StatusCodes.Status400BadRequest);
            }

            users.ChangePassword(user, newPassword);
            await SignInAsync(http, user);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.SignedIn);
        return app;
    }

    private static Task SignInAsync(HttpContext http, UserRecord user)
    {
        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        List<Claim> claims = [new(ClaimTypes.Name, user.Id), new(ClaimTypes.Role, user.Role), .. UserSessions.SessionClaims(user, now)];
        if (user.MustChangePassword)
        {
            claims.Add(new Claim(MustChangeClaim, "1"));
        }

        var identity = new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme);
        return http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    private static async Task<Results<Ok<Me>, ProblemHttpResult>> LoginAsync(LoginRequest request, HttpContext http, UserStore users, AuditLog audit, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AuthEndpoints));
        if (request is not { User: { } userName, Password: { } password })
        {
            return TypedResults.Problem("需要 user 和 password / user and password are required", statusCode: StatusCodes.Status400BadRequest);
        }

        var user = userName.Length is > 0 and <= 64 && password.Length <= 256 ? users.Verify(userName, password) : null;
        if (user is null)
        {
            var name = userName.Length > 64 ? userName[..64] : userName;
            var remote = http.Connection.RemoteIpAddress?.ToString() ?? "?";
            LogSignInFailed(logger, name, remote);
            audit.Append(name, AuditActions.SignInFailed, "console", remote);
            return TypedResults.Problem("用户名或密码错误 / wrong user name or password", statusCode: StatusCodes.Status401Unauthorized);
        }

        await SignInAsync(http, user);
        LogSignedIn(logger, user.Id);
        audit.Append(user.Id, AuditActions.SignedIn, "console", http.Connection.RemoteIpAddress?.ToString());
        return TypedResults.Ok(new Me(user.Id, user.DisplayName, user.Role, user.MustChangePassword));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in failed for '{User}' from {Remote}")]
    private static partial void LogSignInFailed(ILogger logger, string user, string remote);

    [LoggerMessage(Level = LogLevel.Information, Message = "User '{User}' signed in")]
    private static partial void LogSignedIn(ILogger logger, string user);
}
