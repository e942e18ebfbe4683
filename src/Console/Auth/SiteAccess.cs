namespace ServiceHall.Console.Auth;

/// <summary>The one check of "may this user see this site" for routes under <c>{siteId}</c>.</summary>
public static class SiteAccess
{
    public const string RouteValue = "siteId";

    /// <summary>
    /// Answers 404 before the handler runs when the signed-in user may not see the route's site: the same answer as
    /// for a site that does not exist, so site ids are not disclosed.
    /// </summary>
    public static TBuilder RequireVisibleSite<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.RouteValues[RouteValue] is string siteId
            && context.HttpContext.RequestServices.GetRequiredService<CurrentUser>().MaySee(siteId)
                ? await next(context)
                : TypedResults.NotFound());
}
