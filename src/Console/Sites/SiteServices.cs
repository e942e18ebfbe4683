using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Sites;

/// <summary>The registry of halls and their keys.</summary>
public static class SiteServices
{
    public static WebApplicationBuilder AddSites(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddStore<ISiteStore, LiteDbSiteStore, CachedSiteStore>(builder.Configuration);
        if (string.Equals(StorageOptions.ProviderOf(builder.Configuration), StorageOptions.Postgres, StringComparison.Ordinal))
        {
            services.AddSingleton<PostgresSiteStore>();
            services.AddSingleton(sp => (CachedSiteStore)sp.GetRequiredService<ISiteStore>());
            services.AddHostedService<CachedSiteStore.Sharing>();
        }

        return builder;
    }
}
