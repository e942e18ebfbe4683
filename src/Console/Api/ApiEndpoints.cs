using System.Security.Claims;
using System.Text.Json;
using ServiceHall.Console.Alerts;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Attendance;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Ingest;
using ServiceHall.Console.Seats;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Api;

/// <summary>REST endpoints for the supervisors' UI and integrations (described at <c>/openapi/v1.json</c>).</summary>
public static class ApiEndpoints
{
    public const int MaxEventsPerQuery = 5000;

    public sealed record AlertActionRequest(string? Note);

    public sealed record EventView(string SiteId, long Sequence, string Type, string CameraId, string? WindowId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, bool HasSnapshot, JsonElement Event);

    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapGet("/sites/{siteId}/windows", (string siteId, ClaimsPrincipal user, Visibility visibility, WindowBoard windows) =>
            visibility.MaySee(user, siteId) ? Results.Ok(windows.ForSite(siteId)) : Results.NotFound())
            .WithSummary("Current state of every window of a site");

        api.MapGet("/alerts", (bool? all, int? limit, ClaimsPrincipal user, Visibility visibility, AlertEngine alerts) =>
        {
            var visible = visibility.SiteIds(user);
            return alerts.List(visible.Contains, all ?? false, Math.Clamp(limit ?? 500, 1, 5000));
        }).WithSummary("Unresolved alerts of the sites the user may see (all=true: with history)");

        api.MapPost("/alerts/{alertId}/acknowledge", (string alertId, AlertActionRequest request, ClaimsPrincipal user, Visibility visibility, AlertEngine alerts, AuditLog audit, FleetBroadcaster broadcaster) =>
            AlertActionAsync(alertId, request, user, visibility, alerts, audit, broadcaster, acknowledge: true))
            .RequireAuthorization(Visibility.SupervisorPolicy)
            .WithSummary("Acknowledge an open alert with a note");

        api.MapPost("/alerts/{alertId}/resolve", (string alertId, AlertActionRequest request, ClaimsPrincipal user, Visibility visibility, AlertEngine alerts, AuditLog audit, FleetBroadcaster broadcaster) =>
            AlertActionAsync(alertId, request, user, visibility, alerts, audit, broadcaster, acknowledge: false))
            .RequireAuthorization(Visibility.SupervisorPolicy)
            .WithSummary("Resolve an alert by hand");

        api.MapGet("/events", (string? site, DateTimeOffset from, DateTimeOffset to, int? limit, ClaimsPrincipal user, Visibility visibility, EventStore events) =>
        {
            if (to <= from || to - from > TimeSpan.FromDays(62))
            {
                return Results.Problem("'to' must be after 'from' and at most 62 days later", statusCode: StatusCodes.Status400BadRequest);
            }

            var visible = visibility.SiteIds(user);
            IReadOnlySet<string> sites = site is null ? visible : visible.Contains(site) ? new HashSet<string> { site } : new HashSet<string>();
            var found = events.InRange(sites, from, to, Math.Clamp(limit ?? 1000, 1, MaxEventsPerQuery));
            return Results.Ok(found.Select(e => new EventView(
                e.SiteId, e.Sequence, e.Type, e.CameraId, e.WindowId, e.OccurredAt, new DateTimeOffset(e.ReceivedAtTicks, TimeSpan.Zero), e.HasSnapshot, JsonDocument.Parse(e.EventJson).RootElement.Clone())));
        }).WithSummary("Events that occurred in [from, to), oldest first");

        api.MapGet("/events/{siteId}/{sequence:long}/snapshot.jpg", (string siteId, long sequence, ClaimsPrincipal user, Visibility visibility, EventStore events) =>
            visibility.MaySee(user, siteId) && events.Snapshot(siteId, sequence) is { } jpeg ? Results.File(jpeg, "image/jpeg") : Results.NotFound())
            .WithSummary("The proof picture an event carried");

        api.MapGet("/attendance", (string site, DateOnly day, ClaimsPrincipal user, Visibility visibility, SiteStore sites, EventStore events, AttendanceLedger ledger, SeatStore seats, TimeProvider time) =>
        {
            if (!visibility.MaySee(user, site) || sites.Find(site) is not { } record)
            {
                return Results.NotFound();
            }

            return Results.Ok(Attendance.ForDay(record, day, events, ledger, Attendance.SiteHours.Of(seats, site), time.GetUtcNow()));
        }).WithSummary("Per window: seconds scheduled, staffed, away, unstaffed and unknown on one local day (the Recorder's closed day, or provisional from stored events)");

        api.MapGet("/metrics", (IngestMetrics metrics) => metrics.Snapshot()).WithSummary("Ingest and fleet counters");
        return app;
    }

    private static async Task<IResult> AlertActionAsync(
        string alertId, AlertActionRequest request, ClaimsPrincipal user, Visibility visibility, AlertEngine alerts, AuditLog audit, FleetBroadcaster broadcaster, bool acknowledge)
    {
        var existing = alerts.Find(alertId);
        if (existing is null || !visibility.MaySee(user, existing.SiteId))
        {
            return Results.NotFound();
        }

        if (request.Note is { Length: > 2000 })
        {
            return Results.Problem("note is longer than 2000 characters", statusCode: StatusCodes.Status400BadRequest);
        }

        var who = user.Identity!.Name!;
        var changed = acknowledge ? alerts.Acknowledge(alertId, who, request.Note) : alerts.ResolveByHand(alertId, who, request.Note);
        if (changed is null)
        {
            return Results.Conflict(existing);
        }

        audit.Append(who, acknowledge ? AuditActions.AlertAcknowledged : AuditActions.AlertResolved, $"alert:{alertId}", request.Note);
        await broadcaster.Alert(changed);
        return Results.Ok(changed);
    }
}
