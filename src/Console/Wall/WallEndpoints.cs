using ServiceHall.Console.Auth;
using ServiceHall.Console.Fleet;
using ServiceHall.Console.Sites;

namespace ServiceHall.Console.Wall;

/// <summary>Bulk reads the wall needs once at start, so a city of 5,500 halls loads in one request, not one per hall.</summary>
public static class WallEndpoints
{
    /// <summary>A site as the UI labels it: name, district, and the time zone its times are shown in.</summary>
    public sealed record SiteLabel(string SiteId, string Name, string District, string TimeZone);

    public static IEndpointRouteBuilder MapWall(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/wall/sites", (CurrentUser user, ISiteStore sites) =>
        {
            var visible = user.SiteIds();
            return TypedResults.Ok(sites.All().Where(s => visible.Contains(s.Id)).Select(s => new SiteLabel(s.Id, s.Name, s.District, s.TimeZone)));
        }).RequireAuthorization().WithSummary("Names, districts and time zones of the sites the user may see");
        app.MapGet("/api/wall/windows", (CurrentUser user, WindowBoard windows) =>
        {
            var visible = user.SiteIds();
            return TypedResults.Ok(windows.All().Where(w => visible.Contains(w.SiteId)));
        }).RequireAuthorization().WithSummary("Current state of every window of every site the user may see");
        return app;
    }
}
