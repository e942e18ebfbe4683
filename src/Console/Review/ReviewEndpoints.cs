using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Hubs;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Review;

/// <summary>
/// Clips for complaint review: a supervisor asks (the request goes to the Recorder over its hub connection), the Recorder
/// uploads the clip in resumable chunks with its site key, and the Console keeps it once its SHA-256 matches the manifest.
/// </summary>
public static partial class ReviewEndpoints
{
    public static readonly TimeSpan MaxClipLength = TimeSpan.FromHours(2);

    /// <summary>What a supervisor posts to ask for a clip.</summary>
    public sealed record ClipRequestBody(string CameraId, DateTimeOffset From, DateTimeOffset To, string Reason);

    /// <summary>A clip's state for the UI.</summary>
    public sealed record ClipView(string ClipId, string SiteId, string CameraId, DateTimeOffset From, DateTimeOffset To, string Status, long ReceivedBytes, long TotalBytes, string? Sha256, string? Error);

    /// <summary>How much of an upload arrived.</summary>
    public sealed record UploadState(long Received);

    /// <summary>Why a Recorder could not produce the clip.</summary>
    public sealed record ClipFailure(string Reason);

    public static IEndpointRouteBuilder MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/sites/{siteId}/clips", RequestClipAsync).RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Supervisor));
        var clips = app.MapGroup("/api/clips").RequireAuthorization();
        clips.MapGet("/{clipId}", (string clipId, ClaimsPrincipal user, ClipStore store, Visibility visibility) =>
            store.Find(clipId) is { } c && visibility.MaySee(user, c.SiteId) ? Results.Ok(View(c)) : Results.NotFound());
        clips.MapGet("/{clipId}/file", (string clipId, HttpRequest request, ClaimsPrincipal user, ClipStore store, AuditLog audit, Visibility visibility) =>
        {
            if (store.Find(clipId) is not { Status: ClipStatus.Complete } c || !visibility.MaySee(user, c.SiteId))
            {
                return Results.NotFound();
            }

            // A <video> element fetches in ranges; a view is the request that starts at the first byte.
            var range = request.Headers.Range.ToString();
            if (range.Length == 0 || range.StartsWith("bytes=0-", StringComparison.Ordinal))
            {
                audit.Append(user.Identity?.Name ?? "?", AuditActions.RecordingViewed, $"clip:{c.Id}", $"{c.SiteId}/{c.CameraId}");
            }

            return Results.File(store.FinalPath(c), "video/mp4", $"{c.SiteId}-{c.CameraId}-{c.Id}.mp4", enableRangeProcessing: true);
        });
        clips.MapGet("/{clipId}/manifest.json", (string clipId, ClaimsPrincipal user, ClipStore store, Visibility visibility) =>
            store.Find(clipId) is { Status: ClipStatus.Complete } c && visibility.MaySee(user, c.SiteId) ? Results.File(store.ManifestPath(c), "application/json") : Results.NotFound());

        var uploads = app.MapGroup("/api/recorder/clips").RequireAuthorization(p => p
            .AddAuthenticationSchemes(SiteKeyAuthenticationHandler.SchemeName)
            .RequireClaim(SiteKeyAuthenticationHandler.SiteClaim));
        uploads.MapGet("/{clipId}/data", (string clipId, ClaimsPrincipal user, ClipStore store) =>
            store.FindForSite(clipId, SiteOf(user)) is { } c ? Results.Ok(new UploadState(c.ReceivedBytes)) : Results.NotFound());
        uploads.MapPut("/{clipId}/data", AppendAsync);
        uploads.MapPost("/{clipId}/complete", CompleteAsync);
        uploads.MapPost("/{clipId}/failed", async (string clipId, ClipFailure failure, ClaimsPrincipal user, ClipStore store, FleetBroadcaster broadcaster) =>
        {
            if (store.FindForSite(clipId, SiteOf(user)) is not { } c)
            {
                return Results.NotFound();
            }

            store.Fail(c, $"recorder: {failure.Reason}");
            await PushAsync(broadcaster, store, clipId);
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>
    /// Sends a Recorder that has just connected every clip of its site it has not finished: a request made while it was
    /// offline, or one whose upload the link or a restart cut off (the Recorder ignores a request it is already serving
    /// and resumes the upload of a clip it has already cut).
    /// </summary>
    public static async Task SendUnfinishedAsync(ClipStore store, string siteId, IRecorderClient recorder)
    {
        foreach (var clip in store.Unfinished(siteId))
        {
            await recorder.RequestClip(clip.Request());
        }
    }

    private static async Task<IResult> RequestClipAsync(
        string siteId,
        ClipRequestBody body,
        ClaimsPrincipal user,
        ClipStore store,
        IHubContext<RecorderHub, IRecorderClient> recorders,
        TimeProvider time,
        ILogger<ClipStore> logger)
    {
        var problems = new List<string>();
        if (!Slug.IsValid(siteId))
        {
            problems.Add("site id must be a slug");
        }

        if (!Slug.IsValid(body.CameraId))
        {
            problems.Add("cameraId must be a slug");
        }

        if (body.To <= body.From || body.To - body.From > MaxClipLength)
        {
            problems.Add($"to must be after from, and the clip at most {MaxClipLength.TotalHours:0} h");
        }

        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
        {
            problems.Add("reason is required (at most 500 characters)");
        }

        if (problems.Count > 0)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["clip"] = [.. problems] });
        }

        var request = new ClipRequested(Guid.NewGuid().ToString("N"), body.CameraId, body.From, body.To, body.Reason.Trim(), user.Identity?.Name ?? "?");
        var clip = store.Create(siteId, request, time.GetUtcNow());
        await recorders.Clients.Group(Groups.Recorder(siteId)).RequestClip(request);
        LogRequested(logger, request.ClipId, siteId, request.CameraId, request.RequestedBy);
        return Results.Accepted($"/api/clips/{clip.Id}", View(clip));
    }

    private static async Task<IResult> AppendAsync(string clipId, long offset, long? total, HttpRequest request, ClaimsPrincipal user, ClipStore store, FleetBroadcaster broadcaster, CancellationToken ct)
    {
        if (store.FindForSite(clipId, SiteOf(user)) is not { } clip)
        {
            return Results.NotFound();
        }

        try
        {
            var (accepted, received) = await store.AppendAsync(clip, offset, total ?? 0, request.Body, ClipUploads.MaxChunkBytes, ct);
            if (accepted)
            {
                await PushAsync(broadcaster, store, clipId);
            }

            return accepted ? Results.Ok(new UploadState(received)) : Results.Conflict(new UploadState(received));
        }
        catch (InvalidDataException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
    }

    private static async Task<IResult> CompleteAsync(string clipId, HttpRequest request, ClaimsPrincipal user, ClipStore store, FleetBroadcaster broadcaster, CancellationToken ct)
    {
        if (store.FindForSite(clipId, SiteOf(user)) is not { } clip)
        {
            return Results.NotFound();
        }

        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(ct);
        ClipExported? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ClipExported>(json, WireJson.Options);
        }
        catch (JsonException ex)
        {
            return Results.Problem($"manifest is not valid JSON: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (manifest is null)
        {
            return Results.Problem("manifest is missing", statusCode: StatusCodes.Status400BadRequest);
        }

        var error = await store.CompleteAsync(clip, manifest, json, ct);
        await PushAsync(broadcaster, store, clipId);
        return error is null ? Results.Ok(View(store.Find(clipId)!)) : Results.Problem(error, statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    /// <summary>Shows the clip's new state to the site's watchers.</summary>
    private static Task PushAsync(FleetBroadcaster broadcaster, ClipStore store, string clipId) =>
        store.Find(clipId) is { } c
            ? broadcaster.ClipChanged(new ClipProgressed(c.Id, c.SiteId, c.CameraId, c.Status.ToString(), c.ReceivedBytes, c.TotalBytes, c.Error))
            : Task.CompletedTask;

    private static string SiteOf(ClaimsPrincipal user) => user.FindFirstValue(SiteKeyAuthenticationHandler.SiteClaim) ?? "";

    private static ClipView View(ClipRecord c) =>
        new(c.Id, c.SiteId, c.CameraId, new DateTimeOffset(c.FromTicks, TimeSpan.Zero), new DateTimeOffset(c.ToTicks, TimeSpan.Zero), c.Status.ToString(), c.ReceivedBytes, c.TotalBytes, c.Sha256, c.Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId} of site {SiteId} camera {CameraId} requested by {User}")]
    private static partial void LogRequested(ILogger logger, string clipId, string siteId, string cameraId, string user);
}
