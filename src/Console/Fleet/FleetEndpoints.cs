using System.Security.Claims;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>Read-only REST views of the fleet for the web UI.</summary>
public static class FleetEndpoints
{
    public static IEndpointRouteBuilder MapFleetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sites").RequireAuthorization();
        group.MapGet("/", (FleetState fleet, Visibility visibility, ClaimsPrincipal user) =>
        {
            var visible = visibility.SiteIds(user);
            return fleet.All().Where(s => visible.Contains(s.SiteId));
        }).WithSummary("Sites the user may see, with live status");
        group.MapGet("/{siteId}", (string siteId, FleetState fleet, Visibility visibility, ClaimsPrincipal user) =>
            visibility.MaySee(user, siteId) && fleet.Find(siteId) is { } status ? Results.Ok(status) : Results.NotFound());
        group.MapGet("/{siteId}/cameras/{cameraId}/snapshot.jpg", (string siteId, string cameraId, SnapshotCache snapshots, Visibility visibility, ClaimsPrincipal user, HttpContext http) =>
        {
            if (!Slug.IsValid(siteId) || !Slug.IsValid(cameraId) || !visibility.MaySee(user, siteId) || snapshots.Find(siteId, cameraId) is not { } snapshot)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.File(snapshot.Jpeg, "image/jpeg", lastModified: snapshot.TakenAt);
        });
        return app;
    }
}
