using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Auth;

/// <summary>Users' sign-in by cookie, Recorders' by site key, the policies endpoints require, and the current user.</summary>
public static class AuthServices
{
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<AuthOptions>(builder.Configuration, AuthOptions.Section);
        services.AddStore<IUserStore, LiteDbUserStore, PostgresUserStore>(builder.Configuration);
        services.AddSingleton<AccountLockout>();
        services.AddHostedService<AccountLockout.Sharing>();
        services.AddSingleton<PasswordPolicy>();
        services.AddHttpContextAccessor();
        services.AddScoped(sp => new CurrentUser(sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.User, sp.GetRequiredService<IUserStore>(), sp.GetRequiredService<ISiteStore>()));

        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        // Sign-in cookies must survive a Console restart; the keys that seal them are encrypted on disk.
        services.AddKeyRingProtection(builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions(), storage.DataDirectory);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "servicehall";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                // Strict same-site plus JSON-only endpoints is the anti-forgery defence of the API.
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.SlidingExpiration = true;
                cookie.ExpireTimeSpan = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>()?.SessionLifetime ?? TimeSpan.FromHours(12);
                cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
                cookie.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, SiteKeyAuthenticationHandler>(SiteKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireAssertion(NoPendingPasswordChange)
                .Build())
            .AddPolicy(Policies.SignedIn, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Policies.Supervisor, policy => policy.RequireRole(Roles.Admin, Roles.Supervisor).RequireAssertion(NoPendingPasswordChange))
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin).RequireAssertion(NoPendingPasswordChange));
        var attemptsPerMinute = builder.Configuration.GetValue($"{AuthOptions.Section}:{nameof(AuthOptions.LoginAttemptsPerMinute)}", 10);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Per client address as the forwarded-headers step left it: a proxy's X-Forwarded-For only when the proxy
            // is listed in Network:KnownProxies, so a client cannot pick a fresh address per guess by header.
            limiter.AddPolicy(AuthEndpoints.LoginRateLimit, http => PerAddress(http, attemptsPerMinute));
            limiter.AddPolicy(AuthEndpoints.PasswordRateLimit, http => PerAddress(http, attemptsPerMinute));
        });
        return builder;
    }

    /// <summary>
    /// Runs on every cookie request: a session whose user changed, was disabled or is past its absolute lifetime is
    /// refused and its cookie removed, so a demoted Admin or a stolen cookie stops working at the next request.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var principal = context.Principal;
        // Not CurrentUser: it is scoped and would keep the still-anonymous HttpContext.User of this moment.
        var user = services.GetRequiredService<IUserStore>().Find(principal?.Identity?.Name ?? "");
        var lifetime = services.GetRequiredService<IOptions<AuthOptions>>().Value.SessionAbsoluteLifetime;
        if (principal is null || !UserSessions.IsCurrent(principal, user, lifetime, services.GetRequiredService<TimeProvider>().GetUtcNow()))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static RateLimitPartition<string> PerAddress(HttpContext http, int attemptsPerMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "?",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = attemptsPerMinute, Window = TimeSpan.FromMinutes(1) });

    private static bool NoPendingPasswordChange(AuthorizationHandlerContext context) =>
        !context.User.HasClaim(c => c.Type == AuthEndpoints.MustChangeClaim);

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
