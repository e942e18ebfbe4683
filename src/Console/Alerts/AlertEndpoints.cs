using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Monitor;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>Alerts for the supervisors' UI and integrations: list them, acknowledge or resolve one with a note.</summary>
public static class AlertEndpoints
{
    public sealed record AlertActionRequest(string? Note);

    /// <summary>What acknowledging or resolving an alert takes.</summary>
    public sealed record AlertAction(string AlertId, AlertActionRequest Request, CurrentUser User, AlertEngine Alerts, AuditLog Audit, MonitorBroadcaster Broadcaster);

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/alerts").RequireAuthorization();
        alerts.MapGet("", (bool? all, int? limit, CurrentUser user, AlertEngine engine) =>
            TypedResults.Ok(engine.List(user.SiteIds().Contains, all ?? false, Math.Clamp(limit ?? 500, 1, 5000))))
            .WithSummary("Unresolved alerts of the sites the user may see (all=true: with history)");

        alerts.MapPost("/{alertId}/acknowledge", ([AsParameters] AlertAction action) => ActAsync(action, acknowledge: true))
            .RequireAuthorization(Policies.Supervisor)
            .WithSummary("Acknowledge an open alert with a note");

        alerts.MapPost("/{alertId}/resolve", ([AsParameters] AlertAction action) => ActAsync(action, acknowledge: false))
            .RequireAuthorization(Policies.Supervisor)
            .WithSummary("Resolve an alert by hand");
        return app;
    }

    private static async Task<Results<Ok<AlertView>, NotFound, ProblemHttpResult, Conflict<AlertView>>> ActAsync(AlertAction action, bool acknowledge)
    {
        var (alertId, request, user, alerts, audit, broadcaster) = action;
        var existing = alerts.Find(alertId);
        if (existing is null || !user.MaySee(existing.SiteId))
        {
            return TypedResults.NotFound();
        }

        if (request.Note is { Length: > 2000 })
        {
            return TypedResults.Problem("note is longer than 2000 characters", statusCode: StatusCodes.Status400BadRequest);
        }

        var changed = acknowledge ? alerts.Acknowledge(alertId, user.Name, request.Note) : alerts.ResolveByHand(alertId, user.Name, request.Note);
        if (changed is null)
        {
            return TypedResults.Conflict(existing);
        }

        audit.Append(user.Name, acknowledge ? AuditActions.AlertAcknowledged : AuditActions.AlertResolved, $"alert:{alertId}", request.Note);
        await broadcaster.Alert(changed);
        return TypedResults.Ok(changed);
    }
}
