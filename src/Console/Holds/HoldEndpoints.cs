using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Holds;

/// <summary>
/// Evidence holds by hand: an Admin or Supervisor of the site places or releases one; the request is stored first and
/// sent to the Recorder now if it is connected, else each time it connects until it confirms through its outbox.
/// </summary>
public static partial class HoldEndpoints
{
    /// <summary>Longest range one hold may cover.</summary>
    public static readonly TimeSpan MaxHoldLength = TimeSpan.FromDays(31);

    /// <summary>What a supervisor posts to place a hold.</summary>
    public sealed record HoldBody(string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason);

    /// <summary>A hold as the UI and API show it.</summary>
    public sealed record HoldView(string HoldId, string SiteId, string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason, string PlacedBy, DateTimeOffset PlacedAt, string Status, string? ReleasedBy);

    public static IEndpointRouteBuilder MapHoldEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sites/{siteId}/holds", (string siteId, ClaimsPrincipal user, HoldStore holds, Visibility visibility) =>
            visibility.MaySee(user, siteId) ? Results.Ok(holds.ForSite(siteId).Select(View)) : Results.NotFound()).RequireAuthorization();
        app.MapPost("/api/sites/{siteId}/holds", PlaceAsync).RequireAuthorization(Visibility.SupervisorPolicy);
        app.MapDelete("/api/sites/{siteId}/holds/{holdId}", ReleaseAsync).RequireAuthorization(Visibility.SupervisorPolicy);
        return app;
    }

    /// <summary>Sends what the Recorder has not confirmed yet; called when it connects.</summary>
    public static async Task SendPendingAsync(HoldStore holds, string siteId, IRecorderClient recorder)
    {
        foreach (var hold in holds.Pending(siteId))
        {
            await SendAsync(recorder, hold);
        }
    }

    private static Task SendAsync(IRecorderClient recorder, HoldRecord hold) =>
        hold.Status == HoldStatus.Requested
            ? recorder.PlaceHold(hold.Request())
            : recorder.ReleaseHold(new HoldReleaseRequested(hold.Id, hold.ReleasedBy ?? "?"));

    private static async Task<IResult> PlaceAsync(
        string siteId,
        HoldBody body,
        ClaimsPrincipal user,
        HoldStore holds,
        Visibility visibility,
        AuditLog audit,
        IHubContext<RecorderHub, IRecorderClient> recorders,
        TimeProvider time,
        ILogger<HoldStore> logger)
    {
        if (!visibility.MaySee(user, siteId))
        {
            return Results.NotFound();
        }

        var problems = Check(body);
        if (problems.Count > 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["hold"] = [.. problems] });
        }

        var by = user.Identity?.Name ?? "?";
        var hold = holds.Request(siteId, new HoldRequested(Guid.NewGuid().ToString("N"), body.CameraId, body.From, body.To, body.Reason.Trim(), by), time.GetUtcNow());
        audit.Append(by, AuditActions.HoldPlaced, $"hold:{hold.Id}", $"{siteId}/{hold.CameraId} {body.From:o} to {body.To:o}: {hold.Reason}");
        await SendAsync(recorders.Clients.Group(Groups.Recorder(siteId)), hold);
        LogPlaced(logger, hold.Id, siteId, hold.CameraId, by);
        return Results.Accepted($"/api/sites/{siteId}/holds", View(hold));
    }

    private static async Task<IResult> ReleaseAsync(
        string siteId,
        string holdId,
        ClaimsPrincipal user,
        HoldStore holds,
        Visibility visibility,
        AuditLog audit,
        IHubContext<RecorderHub, IRecorderClient> recorders,
        ILogger<HoldStore> logger)
    {
        if (!visibility.MaySee(user, siteId) || holds.Find(siteId, holdId) is not { } hold)
        {
            return Results.NotFound();
        }

        var by = user.Identity?.Name ?? "?";
        if (!holds.RequestRelease(hold, by))
        {
            return Results.Conflict(View(hold));
        }

        audit.Append(by, AuditActions.HoldReleased, $"hold:{hold.Id}", $"{siteId}/{hold.CameraId}");
        await SendAsync(recorders.Clients.Group(Groups.Recorder(siteId)), hold);
        LogReleased(logger, hold.Id, siteId, by);
        return Results.Accepted($"/api/sites/{siteId}/holds", View(hold));
    }

    private static List<string> Check(HoldBody body)
    {
        var problems = new List<string>();
        if (!Slug.IsValid(body.CameraId))
        {
            problems.Add("cameraId must be a slug");
        }

        if (body.To <= body.From || body.To - body.From > MaxHoldLength)
        {
            problems.Add($"to must be after from, and a hold at most {MaxHoldLength.TotalDays:0} days");
        }

        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
        {
            problems.Add("reason is required (at most 500 characters)");
        }

        return problems;
    }

    private static HoldView View(HoldRecord h) =>
        new(h.Id, h.SiteId, h.CameraId, new DateTimeOffset(h.FromTicks, TimeSpan.Zero), new DateTimeOffset(h.ToTicks, TimeSpan.Zero), h.Reason, h.PlacedBy, new DateTimeOffset(h.PlacedAtTicks, TimeSpan.Zero), h.Status.ToString(), h.ReleasedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold {HoldId} of site {SiteId} camera {CameraId} placed by {User}")]
    private static partial void LogPlaced(ILogger logger, string holdId, string siteId, string cameraId, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hold {HoldId} of site {SiteId} released by {User}")]
    private static partial void LogReleased(ILogger logger, string holdId, string siteId, string user);
}
