using Microsoft.Extensions.Options;
using ServiceHall.Console.Admin;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Cluster;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Health;
using ServiceHall.Console.Holds;
using ServiceHall.Console.Hubs;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Metrics;
using ServiceHall.Console.Monitor;
using ServiceHall.Console.Patrol;
using ServiceHall.Console.Review;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Signing;
using ServiceHall.Console.Sites;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Transport;
using ServiceHall.Console.Viewing;
using ServiceHall.Console.Wall;
using ServiceHall.Shared.Configuration;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console;

/// <summary>Wires the Console's features into the web host, one <c>Add</c> and one <c>Map</c> per feature folder.</summary>
public static class ConsoleServices
{
    /// <summary>
    /// The order is the order features act in: new events go to holds, attendance, screens, then alerts; a site's
    /// status to the screens, then alerts; a connecting Recorder is greeted by holds, clips, then viewing. It is also
    /// the order in which bad settings are reported.
    /// </summary>
    public static WebApplicationBuilder AddConsoleServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddOpenApi();
        var signalR = services.AddSignalR(hub =>
            {
                hub.MaximumReceiveMessageSize = 64 * 1024;
                hub.EnableDetailedErrors = false;
            })
            .AddJsonProtocol(json => json.PayloadSerializerOptions = WireJson.Options);
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = WireJson.Options.PropertyNamingPolicy);

        return builder
            .AddTransport()
            .AddStorage()
            .AddCluster(signalR)
            .AddAudit()
            .AddSites()
            .AddFleet()
            .AddAuth()
            .AddIngest()
            .AddHolds()
            .AddAttendance()
            .AddSigning()
            .AddReview()
            .AddSeats()
            .AddMonitor()
            .AddAlerts()
            .AddViewing()
            .AddPatrol()
            .AddRecorderHub()
            .AddHealth()
            .AddMetrics();
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        // Every section registered with AddSection, checked together so one start reports every bad key.
        var failures = OptionsCheck.Failures(app.Services);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Console", typeof(ConsoleServices), failures);
        }

        app.Services.OpenStorage();
        app.Services.GetRequiredService<IUserStore>().EnsureAdmin();
        app.Services.GetRequiredService<SigningKeys>().EnsureCurrent();
        app.UseTransport();
        app.UseSecurityHeaders();
        app.UseRequestForgeryGuard();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAuth();
        app.MapAdmin();
        app.MapFleet();
        app.MapIngest();
        app.MapAlerts();
        app.MapWall();
        app.MapAttendance();
        app.MapReview();
        app.MapCases();
        app.MapSigning();
        app.MapHolds();
        app.MapSeats();
        app.MapViewing();
        app.MapPatrol();
        app.MapMonitor();
        app.MapRecorderHub();
        app.MapOpenApi().AllowAnonymous();
        app.MapHealth();
        app.MapMetrics();
        return app;
    }
}
