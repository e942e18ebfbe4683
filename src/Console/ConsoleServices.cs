using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Api;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Holds;
using ServiceHall.Console.Hubs;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Patrol;
using ServiceHall.Console.Review;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Transport;
using ServiceHall.Console.Viewing;
using ServiceHall.Console.Wall;
using ServiceHall.Shared.Configuration;
using ServiceHall.Shared.Contracts;
using Microsoft.Extensions.Options;

namespace ServiceHall.Console;

/// <summary>Wires the Console's features into the web host.</summary>
public static class ConsoleServices
{
    /// <summary>Every options class of the Console, checked together before start.</summary>
    public static readonly Type[] OptionTypes = [typeof(StorageOptions), typeof(FleetOptions), typeof(AuthOptions), typeof(IngestOptions), typeof(AlertOptions), typeof(ViewingOptions), typeof(NetworkOptions)];

    public static WebApplicationBuilder AddConsoleServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NetworkOptions>().Bind(builder.Configuration.GetSection(NetworkOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkOptions>>(new SectionValidator<NetworkOptions>(NetworkOptions.Section));
        services.AddTransportSecurity(builder.Configuration);
        services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>>(new SectionValidator<StorageOptions>(StorageOptions.Section));
        services.AddOptions<FleetOptions>().Bind(builder.Configuration.GetSection(FleetOptions.Section))
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromSeconds(1), "Fleet:HeartbeatInterval must be at least 00:00:01")
            .Validate(o => o.MissedHeartbeatsForOffline >= 1, "Fleet:MissedHeartbeatsForOffline must be at least 1")
            .Validate(o => o.MaxSnapshotBytes is >= 1024 and <= 16 * 1024 * 1024, "Fleet:MaxSnapshotBytes must be between 1024 and 16777216")
            .Validate(o => o.PushInterval >= TimeSpan.Zero && o.PushInterval <= TimeSpan.FromSeconds(1), "Fleet:PushInterval must be between 00:00:00 and 00:00:01")
            .ValidateOnStart();
        services.AddOptions<AuthOptions>().Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .Validate(o => o.InitialAdminPassword.Length is 0 or >= 8, "Auth:InitialAdminPassword must be empty (generate one) or at least 8 characters")
            .Validate(o => o.LoginAttemptsPerMinute >= 1, "Auth:LoginAttemptsPerMinute must be at least 1")
            .ValidateOnStart();

        services.AddOptions<IngestOptions>().Bind(builder.Configuration.GetSection(IngestOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestOptions>>(new SectionValidator<IngestOptions>(IngestOptions.Section));
        services.AddSingleton<EventStore>();
        services.AddSingleton<EventDispatcher>();
        services.AddSingleton<WindowBoard>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<Visibility>();
        services.AddSingleton<IngestMetrics>();
        services.AddOpenApi();
        services.AddOptions<AlertOptions>().Bind(builder.Configuration.GetSection(AlertOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>>(new SectionValidator<AlertOptions>(AlertOptions.Section));
        services.AddSingleton<AlertEngine>();
        services.AddHttpClient(AlertWebhook.ClientName);
        services.AddSingleton<AlertWebhook>();
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhook>());
        services.AddHostedService<AlertEscalator>();

        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        // Sign-in cookies must survive a Console restart.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetFullPath(storage.DataDirectory), "keys")));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ConsoleDatabase>();
        services.AddSingleton<SiteStore>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<FleetState>();
        services.AddSingleton<SnapshotCache>();
        services.AddSingleton<FleetBroadcaster>();
        services.AddHostedService<OfflineSweeper>();
        services.AddSingleton<MonitorPushes>();
        services.AddHostedService(sp => sp.GetRequiredService<MonitorPushes>());
        services.AddSingleton<ClipStore>();
        services.AddSingleton<HoldStore>();
        services.AddSingleton<AttendanceLedger>();
        services.AddSingleton<SeatStore>();
        services.AddSingleton<SeatRelay>();
        services.AddOptions<ViewingOptions>().Bind(builder.Configuration.GetSection(ViewingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ViewingOptions>>(new SectionValidator<ViewingOptions>(ViewingOptions.Section));
        services.AddSingleton<ViewerRegistry>();
        services.AddSingleton<ViewingNotifier>();
        services.AddSingleton<LiveStreams>();
        services.AddSingleton<PatrolStore>();

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
                cookie.Events.OnRedirectToLogin = context => Deny(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Deny(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, SiteKeyAuthenticationHandler>(SiteKeyAuthenticationHandler.SchemeName, _ => { });
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .RequireAssertion(NoPendingPasswordChange)
                .Build())
            .AddPolicy(AuthEndpoints.SignedInPolicy, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(Visibility.SupervisorPolicy, policy => policy.RequireRole(Roles.Admin, Roles.Supervisor).RequireAssertion(NoPendingPasswordChange))
            .AddPolicy(Visibility.AdminPolicy, policy => policy.RequireRole(Roles.Admin).RequireAssertion(NoPendingPasswordChange));
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(AuthEndpoints.LoginRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = builder.Configuration.GetValue($"{AuthOptions.Section}:{nameof(AuthOptions.LoginAttemptsPerMinute)}", 10),
                    Window = TimeSpan.FromMinutes(1),
                }));
        });

        services.AddSignalR(hub =>
            {
                hub.MaximumReceiveMessageSize = 64 * 1024;
                hub.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(json => json.PayloadSerializerOptions = WireJson.Options)
            .AddHubOptions<RecorderHub>(hub => hub.MaximumReceiveMessageSize = 2 * 1024 * 1024);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = WireJson.Options.PropertyNamingPolicy);
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        var failures = OptionsCheck.Failures(app.Services, OptionTypes);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Console", typeof(ConsoleServices), failures);
        }

        app.Services.GetRequiredService<UserStore>().EnsureAdmin();
        app.UseTransportSecurity();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuthEndpoints();
        app.MapFleetEndpoints();
        app.MapApiEndpoints();
        app.MapAdminEndpoints();
        app.MapWallEndpoints();
        app.MapAttendanceEndpoints();
        app.MapReviewEndpoints();
        app.MapCaseEndpoints();
        app.MapHoldEndpoints();
        app.MapSeatEndpoints();
        app.MapViewingEndpoints();
        app.MapPatrolEndpoints();
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        app.MapHub<RecorderHub>(HubPaths.Recorder);
        app.MapHub<MonitorHub>(HubPaths.Monitor);
        return app;
    }

    private static bool NoPendingPasswordChange(AuthorizationHandlerContext context) =>
        !context.User.HasClaim(c => c.Type == AuthEndpoints.MustChangeClaim);

    private static Task Deny(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
