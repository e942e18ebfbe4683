using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Viewing;

/// <summary>Live video: Recorders push short segments with their site key; browsers read the playlist and segments.</summary>
public static partial class ViewingEndpoints
{
    public static IEndpointRouteBuilder MapViewing(this IEndpointRouteBuilder app)
    {
        var browsers = app.MapGroup("/api/sites/{siteId}/cameras/{cameraId}").RequireAuthorization().RequireVisibleSite();
        browsers.MapGet("/live.m3u8", Results<ContentHttpResult, NotFound> (string siteId, string cameraId, HttpResponse response, LiveStreams streams, AuditLog audit, CurrentUser user) =>
        {
            if (streams.Playlist(siteId, cameraId, seq => $"live/{seq}.ts") is not { } playlist)
            {
                return TypedResults.NotFound();
            }

            AuditLiveView(audit, user, siteId, cameraId);
            response.Headers.CacheControl = "no-store";
            return TypedResults.Text(playlist, "application/vnd.apple.mpegurl");
        });
        browsers.MapGet("/live/{sequence:long}.ts", Results<FileContentHttpResult, NotFound> (string siteId, string cameraId, long sequence, LiveStreams streams, AuditLog audit, CurrentUser user) =>
        {
            if (streams.Segment(siteId, cameraId, sequence) is not { } bytes)
            {
                return TypedResults.NotFound();
            }

            // A segment fetched without its playlist is still live video seen: logged too.
            AuditLiveView(audit, user, siteId, cameraId);
            return TypedResults.File(bytes, "video/mp2t");
        });

        app.MapPut("/api/recorder/live/{cameraId}/{name}", PushAsync).RequireAuthorization(p => p
            .AddAuthenticationSchemes(SiteKeyAuthenticationHandler.SchemeName)
            .RequireClaim(SiteKeyAuthenticationHandler.SiteClaim));
        return app;
    }

    /// <summary>Every serving of live video is logged, once per user, camera and hour: a player polls every few seconds.</summary>
    private static void AuditLiveView(AuditLog audit, CurrentUser user, string siteId, string cameraId) =>
        audit.AppendOncePerHour(user.Name, AuditActions.LiveViewed, $"camera:{siteId}/{cameraId}");

    /// <summary>What a Recorder's segment push takes besides the request: its site, the streams, and the site's cameras.</summary>
    public sealed record Push(ClaimsPrincipal Recorder, LiveStreams Streams, FleetState Fleet, IOptions<ViewingOptions> Options, ILogger<LiveStreams> Logger);

    private static async Task<Results<NoContent, ProblemHttpResult>> PushAsync(string cameraId, string name, string? duration, HttpRequest request, [AsParameters] Push push, CancellationToken ct)
    {
        var siteId = SiteKeyAuthenticationHandler.SiteOf(push.Recorder)!;
        if (!Slug.IsValid(cameraId) || LiveUploads.ParseName(name) is not { } id)
        {
            return TypedResults.Problem("camera must be a slug and the segment named {run}_{number}.ts", statusCode: StatusCodes.Status400BadRequest);
        }

        // Only cameras the site reported may hold video here, so a key cannot open streams without end.
        if (!push.Fleet.ListsCamera(siteId, cameraId))
        {
            LogUnknownCamera(push.Logger, siteId, cameraId);
            return TypedResults.Problem($"camera {cameraId} is not in the site's last heartbeat", statusCode: StatusCodes.Status404NotFound);
        }

        var maxBytes = Math.Min(LiveUploads.MaxSegmentBytes, push.Options.Value.MaxLiveBytesPerSite);

        if (!double.TryParse(duration, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is <= 0 or > 60)
        {
            return TypedResults.Problem("duration must be seconds between 0 and 60", statusCode: StatusCodes.Status400BadRequest);
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + n > maxBytes)
            {
                return TypedResults.Problem($"a live segment may have at most {maxBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            body.Write(buffer, 0, n);
        }

        if (body.Length == 0)
        {
            return TypedResults.Problem("empty segment", statusCode: StatusCodes.Status400BadRequest);
        }

        push.Streams.Append(siteId, cameraId, id.Run, id.Number, seconds, body.ToArray());
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused live video from site {SiteId}: camera {CameraId} is not in its last heartbeat")]
    private static partial void LogUnknownCamera(ILogger logger, string siteId, string cameraId);
}
