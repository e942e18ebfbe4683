using System.Security.Claims;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;

namespace ServiceHall.Console.Wall;

/// <summary>Bulk reads the wall needs once at start, so a city of 5,500 halls loads in one request, not one per hall.</summary>
public static class WallEndpoints
{
    public static IEndpointRouteBuilder MapWallEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/wall/windows", (ClaimsPrincipal user, Visibility visibility, WindowBoard windows) =>
        {
            var visible = visibility.SiteIds(user);
            return windows.All().Where(w => visible.Contains(w.SiteId));
        }).RequireAuthorization().WithSummary("Current state of every window of every site the user may see");
        return app;
    }
}
