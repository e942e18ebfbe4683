using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Fleet;

/// <summary>Read-only REST views of the fleet for the web UI.</summary>
public static class FleetEndpoints
{
    public static IEndpointRouteBuilder MapFleetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sites").RequireAuthorization();
        group.MapGet("/", (FleetState fleet) => fleet.All());
        group.MapGet("/{siteId}", (string siteId, FleetState fleet) =>
            fleet.Find(siteId) is { } status ? Results.Ok(status) : Results.NotFound());
        group.MapGet("/{siteId}/cameras/{cameraId}/snapshot.jpg", (string siteId, string cameraId, SnapshotCache snapshots, HttpContext http) =>
        {
            if (!Slug.IsValid(siteId) || !Slug.IsValid(cameraId) || snapshots.Find(siteId, cameraId) is not { } snapshot)
            {
                return Results.NotFound();
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.File(snapshot.Jpeg, "image/jpeg", lastModified: snapshot.TakenAt);
        });
        return app;
    }
}
