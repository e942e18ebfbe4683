namespace ServiceHall.Console.Sites;

/// <summary>The registry of halls and their keys.</summary>
public static class SiteServices
{
    public static WebApplicationBuilder AddSites(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SiteStore>();
        return builder;
    }
}
