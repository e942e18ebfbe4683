using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Signing;

namespace ServiceHall.Console.Review;

/// <summary>Cases: keep a clip with a reason, list, download as a verifiable zip, and check a zip someone hands back. Every view and download is audited.</summary>
public static class CaseEndpoints
{
    /// <summary>Why a clip is kept.</summary>
    public sealed record KeepCaseBody(string Reason);

    /// <summary>What the verify endpoint found: intact means every file matches and the signature is good; who signed, when it is good.</summary>
    public sealed record VerifyResult(bool Intact, IReadOnlyList<string> Problems, SignedBy? Signature);

    /// <summary>What checking an uploaded package takes: its caps, the one gate that bounds how many run at once, the public keys.</summary>
    public sealed record VerifyServices(IOptions<ReviewOptions> Caps, VerifyGate Gate, SigningKeys Keys);

    /// <summary>What keeping or downloading a case takes.</summary>
    public sealed record CaseServices(CurrentUser User, ClipStore Clips, ICaseStore Cases, AuditLog Audit, TamperAlarm Tampering, StatementSigner Signer, TimeProvider Time);

    public static IEndpointRouteBuilder MapCases(this IEndpointRouteBuilder app)
    {
        var supervisors = app.MapGroup("/api").RequireAuthorization(Policies.Supervisor);
        supervisors.MapPost("/clips/{clipId}/case", async Task<Results<Created<CaseView>, NotFound, ProblemHttpResult, ValidationProblem>> (string clipId, KeepCaseBody body, [AsParameters] CaseServices services, CancellationToken ct) =>
        {
            if (services.Clips.Find(clipId) is not { } clip || !services.User.MaySee(clip.SiteId))
            {
                return TypedResults.NotFound();
            }

            if (clip.Status != ClipStatus.Complete)
            {
                return TypedResults.Problem("only a complete clip can be kept as a case", statusCode: StatusCodes.Status409Conflict);
            }

            if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 500)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["reason is required (at most 500 characters)"] });
            }

            // The hash every later package is checked against is taken now, from the file itself, and must still be
            // the one the upload was accepted with: a file changed before it was kept is not kept.
            var sha256 = await services.Clips.HashFileAsync(clip, ct);
            if (!string.Equals(sha256, clip.Sha256, StringComparison.Ordinal))
            {
                await services.Tampering.RaiseAsync(clip, clip.Sha256 ?? "", sha256, services.User.Name);
                return TypedResults.Problem("the clip's file no longer matches the hash it was uploaded with; it was not kept", statusCode: StatusCodes.Status409Conflict, title: "Evidence tampered");
            }

            services.Clips.Seal(clip);
            var kept = services.Cases.Keep(clip, sha256, body.Reason.Trim(), services.User.Name, services.Time.GetUtcNow());
            services.Audit.Append(kept.KeptBy, AuditActions.CaseKept, $"case:{kept.Id}", $"clip {clip.Id} {clip.SiteId}/{clip.CameraId}: {kept.Reason}");
            return TypedResults.Created($"/api/cases/{kept.Id}", kept.View());
        });

        supervisors.MapGet("/cases", (int? limit, CurrentUser user, ICaseStore cases) =>
            TypedResults.Ok(cases.List(user.SiteIds().Contains, Math.Clamp(limit ?? 200, 1, 1000)).Select(c => c.View())));

        supervisors.MapGet("/cases/{caseId}/package.zip", async Task<Results<PhysicalFileHttpResult, NotFound, ProblemHttpResult>> (string caseId, HttpContext http, [AsParameters] CaseServices services) =>
        {
            if (services.Cases.Find(caseId) is not { } kept || !services.User.MaySee(kept.SiteId) || services.Clips.Find(kept.ClipId) is not { Status: ClipStatus.Complete } clip)
            {
                return TypedResults.NotFound();
            }

            // ZipArchive writes its central directory synchronously on dispose; build in a temp file, then send.
            var temp = Path.GetTempFileName();
            http.Response.RegisterForDispose(new TempFile(temp));
            try
            {
                await using var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite);
                await CasePackage.WriteAsync(file, kept, clip, services.Clips.FinalPath(clip), services.Clips.ManifestPath(clip), services.Signer, http.RequestAborted, services.Clips.ViewingCopyPath(clip));
            }
            catch (EvidenceTamperedException ex)
            {
                await services.Tampering.RaiseAsync(clip, ex.Expected, ex.Actual, services.User.Name);
                return TypedResults.Problem(
                    $"the clip no longer matches the SHA-256 recorded when the case was kept ({ex.Expected}); no package is made from it",
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Evidence tampered");
            }

            services.Audit.Append(services.User.Name, AuditActions.RecordingExported, $"case:{kept.Id}", $"clip {clip.Id} {clip.SiteId}/{clip.CameraId}");
            return TypedResults.PhysicalFile(temp, "application/zip", $"case-{kept.SiteId}-{kept.Id}.zip");
        });

        // Supervisors only, one upload at a time per permit, capped as it arrives and as it inflates (finding 8 of issue 15).
        supervisors.MapPost("/cases/verify", VerifyAsync);
        return app;
    }

    private static async Task<Results<Ok<VerifyResult>, ProblemHttpResult>> VerifyAsync(HttpContext http, [AsParameters] VerifyServices services, CancellationToken ct)
    {
        var maxBytes = services.Caps.Value.VerifyMaxUploadBytes;
        if (http.Request.ContentLength > maxBytes)
        {
            return TooLarge($"the package is {http.Request.ContentLength} bytes; at most {maxBytes} are checked here (Review:VerifyMaxUploadBytes)");
        }

        if (!services.Gate.TryEnter())
        {
            http.Response.Headers.RetryAfter = "10";
            return TypedResults.Problem("other packages are being checked; try again shortly", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Busy");
        }

        try
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = maxBytes;
            }

            // A zip is read from its end, so park the upload in a temp file rather than in memory.
            await using var temp = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            await http.Request.Body.CopyToAsync(temp, ct);
            temp.Position = 0;
            var verdict = CasePackage.Verify(temp, services.Keys.Published(), maxBytes);
            return TypedResults.Ok(new VerifyResult(verdict.Problems.Count == 0, verdict.Problems, verdict.SignedBy));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge($"the package is larger than the {maxBytes} bytes checked here (Review:VerifyMaxUploadBytes)");
        }
        catch (PackageTooLargeException ex)
        {
            return TooLarge(ex.Message);
        }
        finally
        {
            services.Gate.Exit();
        }
    }

    private static ProblemHttpResult TooLarge(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Package too large");
}

/// <summary>Deletes a temp file when the response that sent it is done.</summary>
internal sealed class TempFile(string path) : IDisposable
{
    public void Dispose() => File.Delete(path);
}
