using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Recorders;
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

    /// <summary>What placing or releasing a hold takes besides the request itself.</summary>
    public sealed record HoldAction(CurrentUser User, IHoldStore Holds, AuditLog Audit, IRecorderLink Recorders, TimeProvider Time, ILogger<HoldStore> Logger);

    public static IEndpointRouteBuilder MapHolds(this IEndpointRouteBuilder app)
    {
        var holds = app.MapGroup("/api/sites/{siteId}/holds").RequireAuthorization().RequireVisibleSite();
        holds.MapGet("", (string siteId, IHoldStore store) => TypedResults.Ok(store.ForSite(siteId).Select(View)));
        holds.MapPost("", PlaceAsync).RequireAuthorization(Policies.Supervisor);
        holds.MapDelete("/{holdId}", ReleaseAsync).RequireAuthorization(Policies.Supervisor);
        return app;
    }

    private static async Task<Results<Accepted<HoldView>, ValidationProblem>> PlaceAsync(string siteId, HoldBody body, [AsParameters] HoldAction action)
    {
        var problems = Check(body);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["hold"] = [.. problems] });
        }

        var by = action.User.Name;
        var hold = action.Holds.Request(siteId, new HoldRequested(Guid.NewGuid().ToString("N"), body.CameraId, body.From, body.To, body.Reason.Trim(), by), action.Time.GetUtcNow());
        action.Audit.Append(by, AuditActions.HoldPlaced, $"hold:{hold.Id}", $"{siteId}/{hold.CameraId} {body.From:o} to {body.To:o}: {hold.Reason}");
        await hold.SendTo(action.Recorders.Site(siteId));
        LogPlaced(action.Logger, hold.Id, siteId, hold.CameraId, by);
        return TypedResults.Accepted($"/api/sites/{siteId}/holds", View(hold));
    }

    private static async Task<Results<Accepted<HoldView>, NotFound, Conflict<HoldView>>> ReleaseAsync(string siteId, string holdId, [AsParameters] HoldAction action)
    {
        if (action.Holds.Find(siteId, holdId) is not { } hold)
        {
            return TypedResults.NotFound();
        }

        var by = action.User.Name;
        if (!action.Holds.RequestRelease(hold, by))
        {
            return TypedResults.Conflict(View(hold));
        }

        action.Audit.Append(by, AuditActions.HoldReleased, $"hold:{hold.Id}", $"{siteId}/{hold.CameraId}");
        await hold.SendTo(action.Recorders.Site(siteId));
        LogReleased(action.Logger, hold.Id, siteId, by);
        return TypedResults.Accepted($"/api/sites/{siteId}/holds", View(hold));
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
