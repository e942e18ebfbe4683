using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Auth;

namespace ServiceHall.Console.Ingest;

/// <summary>Stored events by time range, the proof picture an event carried, and the ingest counters.</summary>
public static class EventEndpoints
{
    public const int MaxEventsPerQuery = 5000;

    public sealed record EventView(string SiteId, long Sequence, string Type, string CameraId, string? WindowId, DateTimeOffset OccurredAt, DateTimeOffset ReceivedAt, bool HasSnapshot, JsonElement Event);

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapGet("/events", Results<Ok<IEnumerable<EventView>>, ProblemHttpResult> (string? site, DateTimeOffset from, DateTimeOffset to, int? limit, CurrentUser user, IEventStore events) =>
        {
            if (to <= from || to - from > TimeSpan.FromDays(62))
            {
                return TypedResults.Problem("'to' must be after 'from' and at most 62 days later", statusCode: StatusCodes.Status400BadRequest);
            }

            var visible = user.SiteIds();
            IReadOnlySet<string> sites = site is null ? visible : visible.Contains(site) ? new HashSet<string> { site } : new HashSet<string>();
            var found = events.InRange(sites, from, to, Math.Clamp(limit ?? 1000, 1, MaxEventsPerQuery));
            return TypedResults.Ok(found.Select(e => new EventView(
                e.SiteId, e.Sequence, e.Type, e.CameraId, e.WindowId, e.OccurredAt, new DateTimeOffset(e.ReceivedAtTicks, TimeSpan.Zero), e.HasSnapshot, JsonDocument.Parse(e.EventJson).RootElement.Clone())));
        }).WithSummary("Events that occurred in [from, to), oldest first");

        api.MapGet("/events/{siteId}/{sequence:long}/snapshot.jpg", Results<FileContentHttpResult, NotFound> (string siteId, long sequence, IEventStore events) =>
            events.Snapshot(siteId, sequence) is { } jpeg ? TypedResults.File(jpeg, "image/jpeg") : TypedResults.NotFound())
            .RequireVisibleSite()
            .WithSummary("The proof picture an event carried");

        api.MapGet("/metrics", (IngestMetrics metrics) => TypedResults.Ok(metrics.Snapshot())).WithSummary("Ingest and fleet counters");
        return app;
    }
}
