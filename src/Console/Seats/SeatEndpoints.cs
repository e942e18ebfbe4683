using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Seats;

/// <summary>Windows and seat polygons of a site, and the admin's seat editor.</summary>
public static class SeatEndpoints
{
    public sealed record SeatRequest(IReadOnlyList<double[]>? Seat);

    public static IEndpointRouteBuilder MapSeats(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/sites/{siteId}").RequireAuthorization();
        group.MapGet("/seats", (string siteId, ISeatStore store) => TypedResults.Ok(store.View(siteId)))
            .RequireVisibleSite()
            .WithSummary("The site's windows as its Recorder reported them (seat polygon, departments, thresholds) and each window's latest seat change");

        // Not behind RequireVisibleSite: its 404 names what is missing, for a site as for a window.
        group.MapPut("/cameras/{cameraId}/windows/{windowId}/seat", async Task<Results<Accepted<SeatChangeView>, ProblemHttpResult>> (
            string siteId, string cameraId, string windowId, SeatRequest request, CurrentUser user, ISeatStore store, SeatRelay relay, AuditLog audit) =>
        {
            if (!user.MaySee(siteId) || !store.Windows(siteId).Any(w => w.CameraId == cameraId && w.WindowId == windowId))
            {
                return TypedResults.Problem($"site '{siteId}' has no reported window '{windowId}' on camera '{cameraId}'", statusCode: StatusCodes.Status404NotFound);
            }

            if (SeatPolygon.Check(request.Seat) is { } problem)
            {
                return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
            }

            var change = await relay.RequestAsync(siteId, cameraId, windowId, request.Seat!, user.Name);
            audit.Append(user.Name, AuditActions.SeatChanged, $"seat:{siteId}/{cameraId}/{windowId}", System.Text.Json.JsonSerializer.Serialize(request.Seat));
            return TypedResults.Accepted($"/api/sites/{siteId}/seats", change);
        })
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Save a window's seat polygon (normalised 0..1, 3 to 32 points, not self-intersecting) and send it to the Recorder");
        return app;
    }
}
