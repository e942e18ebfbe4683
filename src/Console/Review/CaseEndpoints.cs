using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;

namespace ServiceHall.Console.Review;

/// <summary>Cases: keep a clip with a reason, list, download as a verifiable zip, and check a zip someone hands back. Every view and download is audited.</summary>
public static class CaseEndpoints
{
    /// <summary>The largest package the verify endpoint reads: two hours of a high-rate camera.</summary>
    public const long MaxPackageBytes = 8L << 30;

    /// <summary>Why a clip is kept.</summary>
    public sealed record KeepCaseBody(string Reason);

    /// <summary>What the verify endpoint found.</summary>
    public sealed record VerifyResult(bool Intact, IReadOnlyList<string> Problems);

    public static IEndpointRouteBuilder MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var supervisors = app.MapGroup("/api").RequireAuthorization(p => p.RequireRole(Roles.Admin, Roles.Supervisor));
        supervisors.MapPost("/clips/{clipId}/case", (string clipId, KeepCaseBody body, ClaimsPrincipal user, ClipStore clips, CaseStore cases, AuditLog audit, Visibility visibility, TimeProvider time) =>
        {
            if (clips.Find(clipId) is not { } clip || !visibility.MaySee(user, clip.SiteId))
            {
                return Results.NotFound();
            }

            if (clip.Status != ClipStatus.Complete)
            {
                return Results.Problem("only a complete clip can be kept as a case", statusCode: StatusCodes.Status409Conflict);
            }

            if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["reason is required (at most 500 characters)"] });
            }

            var kept = cases.Keep(clip, body.Reason.Trim(), Actor(user), time.GetUtcNow());
            audit.Append(kept.KeptBy, AuditActions.CaseKept, $"case:{kept.Id}", $"clip {clip.Id} {clip.SiteId}/{clip.CameraId}: {kept.Reason}");
            return Results.Created($"/api/cases/{kept.Id}", kept.View());
        });

        supervisors.MapGet("/cases", (int? limit, ClaimsPrincipal user, Visibility visibility, CaseStore cases) =>
        {
            var visible = visibility.SiteIds(user);
            return cases.List(visible.Contains, Math.Clamp(limit ?? 200, 1, 1000)).Select(c => c.View());
        });

        supervisors.MapGet("/cases/{caseId}/package.zip", async (string caseId, HttpContext http, ClaimsPrincipal user, Visibility visibility, CaseStore cases, ClipStore clips, AuditLog audit) =>
        {
            if (cases.Find(caseId) is not { } kept || !visibility.MaySee(user, kept.SiteId) || clips.Find(kept.ClipId) is not { Status: ClipStatus.Complete } clip)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            audit.Append(Actor(user), AuditActions.RecordingExported, $"case:{kept.Id}", $"clip {clip.Id} {clip.SiteId}/{clip.CameraId}");
            http.Response.ContentType = "application/zip";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"case-{kept.SiteId}-{kept.Id}.zip\"";
            // ZipArchive writes its central directory synchronously on dispose; build in a temp file, then send.
            var temp = Path.GetTempFileName();
            try
            {
                await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite))
                {
                    await CasePackage.WriteAsync(file, kept, clip, clips.FinalPath(clip), clips.ManifestPath(clip), http.RequestAborted);
                }

                await http.Response.SendFileAsync(temp, http.RequestAborted);
            }
            finally
            {
                File.Delete(temp);
            }
        });

        app.MapPost("/api/cases/verify", async (HttpRequest request, CancellationToken ct) =>
        {
            // A zip is read from its end, so park the upload in a temp file rather than in memory.
            await using var temp = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            await request.Body.CopyToAsync(temp, ct);
            temp.Position = 0;
            var problems = CasePackage.Verify(temp);
            return new VerifyResult(problems.Count == 0, problems);
        }).RequireAuthorization().WithMetadata(new RequestSizeLimitAttribute(MaxPackageBytes));
        return app;
    }

    private static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? "?";
}
