using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Monitor;
using ServiceHall.Console.Recorders;
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

    /// <summary>What asking for a clip takes besides the request itself.</summary>
    public sealed record ClipRequest(CurrentUser User, ClipStore Store, IRecorderLink Recorders, AuditLog Audit, IOptions<ReviewOptions> Caps, TimeProvider Time, ILogger<ClipStore> Logger);

    /// <summary>What a Recorder's upload call takes: its connection's site, the clip store, and the screens to show progress on.</summary>
    public sealed record Upload(ClaimsPrincipal Recorder, ClipStore Store, MonitorBroadcaster Broadcaster, IOptions<ReviewOptions> Caps)
    {
        /// <summary>The clip, if it is one the uploading Recorder's site asked for.</summary>
        public ClipRecord? Find(string clipId) => Store.FindForSite(clipId, SiteKeyAuthenticationHandler.SiteOf(Recorder) ?? "");

        /// <summary>Shows the clip's new state to the site's watchers.</summary>
        public Task PushAsync(string clipId) =>
            Store.Find(clipId) is { } c
                ? Broadcaster.ClipChanged(new ClipProgressed(c.Id, c.SiteId, c.CameraId, c.Status.ToString(), c.ReceivedBytes, c.TotalBytes, c.Error))
                : Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapReview(this IEndpointRouteBuilder app)
    {
        // A site the user may not see answers 404, as every read does, so a Supervisor cannot make another district's Recorder cut video.
        app.MapPost("/api/sites/{siteId}/clips", RequestClipAsync).RequireAuthorization(Policies.Supervisor).RequireVisibleSite();
        var clips = app.MapGroup("/api/clips").RequireAuthorization();
        clips.MapGet("/{clipId}", Results<Ok<ClipView>, NotFound> (string clipId, CurrentUser user, ClipStore store) =>
            store.Find(clipId) is { } c && user.MaySee(c.SiteId) ? TypedResults.Ok(View(c)) : TypedResults.NotFound());
        // /file is the evidence as the camera sent it; /view is what the browser plays (an HEVC clip's H.264 viewing copy).
        clips.MapGet("/{clipId}/file", (string clipId, CurrentUser user, ClipStore store, AuditLog audit) =>
            ServeClip(clipId, user, store, audit, store.FinalPath, ".mp4"));
        clips.MapGet("/{clipId}/view", (string clipId, CurrentUser user, ClipStore store, AuditLog audit) =>
            ServeClip(clipId, user, store, audit, store.PlaybackPath, ".view.mp4"));
        clips.MapGet("/{clipId}/manifest.json", Results<PhysicalFileHttpResult, NotFound> (string clipId, CurrentUser user, ClipStore store) =>
            store.Find(clipId) is { Status: ClipStatus.Complete } c && user.MaySee(c.SiteId) ? TypedResults.PhysicalFile(store.ManifestPath(c), "application/json") : TypedResults.NotFound());

        var uploads = app.MapGroup("/api/recorder/clips").RequireAuthorization(p => p
            .AddAuthenticationSchemes(SiteKeyAuthenticationHandler.SchemeName)
            .RequireClaim(SiteKeyAuthenticationHandler.SiteClaim));
        uploads.MapGet("/{clipId}/data", Results<Ok<UploadState>, NotFound> (string clipId, [AsParameters] Upload upload) =>
            upload.Find(clipId) is { } c ? TypedResults.Ok(new UploadState(c.ReceivedBytes)) : TypedResults.NotFound());
        uploads.MapPut("/{clipId}/data", AppendAsync);
        uploads.MapGet("/{clipId}/viewing-copy", Results<Ok<UploadState>, NotFound> (string clipId, [AsParameters] Upload upload) =>
            upload.Find(clipId) is { } c ? TypedResults.Ok(new UploadState(upload.Store.ViewingCopyReceived(c))) : TypedResults.NotFound());
        uploads.MapPut("/{clipId}/viewing-copy", AppendViewingCopyAsync);
        uploads.MapPost("/{clipId}/complete", CompleteAsync);
        uploads.MapPost("/{clipId}/failed", async Task<Results<NoContent, NotFound, ProblemHttpResult>> (string clipId, ClipFailure failure, [AsParameters] Upload upload) =>
        {
            if (upload.Find(clipId) is not { } c)
            {
                return TypedResults.NotFound();
            }

            // Complete is final: a failed call would reopen the clip to new chunks and let a Recorder replace kept evidence.
            if (c.Status == ClipStatus.Complete)
            {
                return TypedResults.Problem(ClipStore.CompleteIsFinal, statusCode: StatusCodes.Status409Conflict);
            }

            upload.Store.Fail(c, $"recorder: {failure.Reason}");
            await upload.PushAsync(clipId);
            return TypedResults.NoContent();
        });
        return app;
    }

    private static async Task<Results<Accepted<ClipView>, ValidationProblem, ProblemHttpResult>> RequestClipAsync(string siteId, ClipRequestBody body, [AsParameters] ClipRequest asked)
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
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["clip"] = [.. problems] });
        }

        var request = new ClipRequested(Guid.NewGuid().ToString("N"), body.CameraId, body.From, body.To, body.Reason.Trim(), asked.User.Name);
        var (clip, refusal) = asked.Store.TryCreate(siteId, request, asked.Time.GetUtcNow(), asked.Caps.Value);
        if (clip is null)
        {
            LogRefused(asked.Logger, siteId, request.RequestedBy, refusal!);
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many outstanding clips");
        }

        asked.Audit.Append(request.RequestedBy, AuditActions.ClipRequested, $"clip:{clip.Id}", $"{siteId}/{request.CameraId} {request.From:o} to {request.To:o}: {request.Reason}");
        await asked.Recorders.Site(siteId).RequestClip(request);
        LogRequested(asked.Logger, request.ClipId, siteId, request.CameraId, request.RequestedBy);
        return TypedResults.Accepted($"/api/clips/{clip.Id}", View(clip));
    }

    private static Results<PhysicalFileHttpResult, NotFound> ServeClip(string clipId, CurrentUser user, ClipStore store, AuditLog audit, Func<ClipRecord, string> path, string suffix)
    {
        if (store.Find(clipId) is not { Status: ClipStatus.Complete } c || !user.MaySee(c.SiteId))
        {
            return TypedResults.NotFound();
        }

        // Every read returns recording bytes, whatever its Range header (bytes=1-, several ranges, none),
        // so every read is logged; a player's many range reads count once per user, clip and hour.
        audit.AppendOncePerHour(user.Name, AuditActions.RecordingViewed, $"clip:{c.Id}", $"{c.SiteId}/{c.CameraId}");

        return TypedResults.PhysicalFile(path(c), "video/mp4", $"{c.SiteId}-{c.CameraId}-{c.Id}{suffix}", enableRangeProcessing: true);
    }

    private static async Task<Results<Ok<UploadState>, NotFound, Conflict<UploadState>, ProblemHttpResult>> AppendViewingCopyAsync(
        string clipId, long offset, HttpRequest request, [AsParameters] Upload upload, CancellationToken ct)
    {
        if (upload.Find(clipId) is not { } clip)
        {
            return TypedResults.NotFound();
        }

        try
        {
            var (accepted, received) = await upload.Store.AppendViewingCopyAsync(clip, offset, request.Body, ClipUploads.MaxChunkBytes, upload.Caps.Value.MaxClipBytes, ct);
            return accepted ? TypedResults.Ok(new UploadState(received)) : TypedResults.Conflict(new UploadState(received));
        }
        catch (InvalidDataException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
    }

    private static async Task<Results<Ok<UploadState>, NotFound, Conflict<UploadState>, ProblemHttpResult>> AppendAsync(
        string clipId, long offset, long? total, HttpRequest request, [AsParameters] Upload upload, CancellationToken ct)
    {
        if (upload.Find(clipId) is not { } clip)
        {
            return TypedResults.NotFound();
        }

        try
        {
            var (accepted, received) = await upload.Store.AppendAsync(clip, offset, total ?? 0, request.Body, ClipUploads.MaxChunkBytes, upload.Caps.Value.MaxClipBytes, ct);
            if (!accepted)
            {
                return TypedResults.Conflict(new UploadState(received));
            }

            await upload.PushAsync(clipId);
            return TypedResults.Ok(new UploadState(received));
        }
        catch (InvalidDataException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status413PayloadTooLarge);
        }
    }

    private static async Task<Results<Ok<ClipView>, NotFound, ProblemHttpResult>> CompleteAsync(string clipId, HttpRequest request, [AsParameters] Upload upload, CancellationToken ct)
    {
        if (upload.Find(clipId) is not { } clip)
        {
            return TypedResults.NotFound();
        }

        // A second complete could name other bytes: the clip is written once.
        if (clip.Status == ClipStatus.Complete)
        {
            return TypedResults.Problem(ClipStore.CompleteIsFinal, statusCode: StatusCodes.Status409Conflict);
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
            return TypedResults.Problem($"manifest is not valid JSON: {ex.Message}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (manifest is null)
        {
            return TypedResults.Problem("manifest is missing", statusCode: StatusCodes.Status400BadRequest);
        }

        var error = await upload.Store.CompleteAsync(clip, manifest, json, ct);
        await upload.PushAsync(clipId);
        return error is null ? TypedResults.Ok(View(upload.Store.Find(clipId)!)) : TypedResults.Problem(error, statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    private static ClipView View(ClipRecord c) =>
        new(c.Id, c.SiteId, c.CameraId, new DateTimeOffset(c.FromTicks, TimeSpan.Zero), new DateTimeOffset(c.ToTicks, TimeSpan.Zero), c.Status.ToString(), c.ReceivedBytes, c.TotalBytes, c.Sha256, c.Error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId} of site {SiteId} camera {CameraId} requested by {User}")]
    private static partial void LogRequested(ILogger logger, string clipId, string siteId, string cameraId, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip request for site {SiteId} by {User} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string siteId, string user, string reason);
}
