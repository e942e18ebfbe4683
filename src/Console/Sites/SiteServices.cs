using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Sites;

/// <summary>The registry of halls and their keys.</summary>
public static class SiteServices
{
    public static WebApplicationBuilder AddSites(this WebApplicationBuilder builder)
    {
        builder.Services.AddStore<ISiteStore, LiteDbSiteStore, PostgresSiteStore>(builder.Configuration);
        return builder;
    }
}
