using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>Read-only REST views of the fleet for the web UI: sites' live status, their windows, their cameras' latest snapshots.</summary>
public static class FleetEndpoints
{
    public static IEndpointRouteBuilder MapFleet(this IEndpointRouteBuilder app)
    {
        var sites = app.MapGroup("/api/sites").RequireAuthorization();
        sites.MapGet("/", (FleetState fleet, CurrentUser user) =>
        {
            var visible = user.SiteIds();
            return TypedResults.Ok(fleet.All().Where(s => visible.Contains(s.SiteId)));
        }).WithSummary("Sites the user may see, with live status");

        var site = sites.MapGroup("/{siteId}").RequireVisibleSite();
        site.MapGet("", Results<Ok<SiteStatusChanged>, NotFound> (string siteId, FleetState fleet) =>
            fleet.Find(siteId) is { } status ? TypedResults.Ok(status) : TypedResults.NotFound());
        site.MapGet("/windows", (string siteId, WindowBoard windows) => TypedResults.Ok(windows.ForSite(siteId)))
            .WithSummary("Current state of every window of a site");
        site.MapGet("/cameras/{cameraId}/snapshot.jpg", Results<FileContentHttpResult, NotFound> (string siteId, string cameraId, SnapshotCache snapshots, HttpResponse response) =>
        {
            if (!Slug.IsValid(cameraId) || snapshots.Find(siteId, cameraId) is not { } snapshot)
            {
                return TypedResults.NotFound();
            }

            response.Headers.CacheControl = "no-store";
            return TypedResults.File(snapshot.Jpeg, "image/jpeg", lastModified: snapshot.TakenAt);
        });
        return app;
    }
}
