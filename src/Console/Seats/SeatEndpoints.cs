using System.Security.Claims;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Seats;

/// <summary>Windows and seat polygons of a site, and the admin's seat editor.</summary>
public static class SeatEndpoints
{
    public sealed record SeatRequest(IReadOnlyList<double[]>? Seat);

    public static IEndpointRouteBuilder MapSeatEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sites/{siteId}").RequireAuthorization();
        group.MapGet("/seats", (string siteId, ClaimsPrincipal user, Visibility visibility, SeatStore store) =>
            visibility.MaySee(user, siteId) ? Results.Ok(store.View(siteId)) : Results.NotFound())
            .WithSummary("The site's windows as its Recorder reported them (seat polygon, departments, thresholds) and each window's latest seat change");

        group.MapPut("/cameras/{cameraId}/windows/{windowId}/seat", async (
            string siteId, string cameraId, string windowId, SeatRequest request, ClaimsPrincipal user, Visibility visibility, SeatStore store, SeatRelay relay, AuditLog audit) =>
        {
            if (!visibility.MaySee(user, siteId) || !store.Windows(siteId).Any(w => w.CameraId == cameraId && w.WindowId == windowId))
            {
                return Results.Problem($"site '{siteId}' has no reported window '{windowId}' on camera '{cameraId}'", statusCode: StatusCodes.Status404NotFound);
            }

            if (SeatPolygon.Check(request.Seat) is { } problem)
            {
                return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
            }

            var who = user.Identity!.Name!;
            var change = await relay.RequestAsync(siteId, cameraId, windowId, request.Seat!, who);
            audit.Append(who, AuditActions.SeatChanged, $"seat:{siteId}/{cameraId}/{windowId}", System.Text.Json.JsonSerializer.Serialize(request.Seat));
            return Results.Accepted($"/api/sites/{siteId}/seats", change);
        })
            .RequireAuthorization(Visibility.AdminPolicy)
            .WithSummary("Save a window's seat polygon (normalised 0..1, 3 to 32 points, not self-intersecting) and send it to the Recorder");
        return app;
    }
}
