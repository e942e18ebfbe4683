using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Storage;

/// <summary>The Console's store: the LiteDB file (default) or the shared PostgreSQL database, chosen by <c>Storage:Provider</c>.</summary>
public static class StorageServices
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSection<StorageOptions>(builder.Configuration, StorageOptions.Section);
        builder.Services.AddSingleton<ConsoleDatabase>();
        builder.Services.AddSingleton<PostgresDatabase>();
        if (UsesPostgres(builder.Configuration))
        {
            builder.Services.AddSingleton<IStoreProbe, PostgresStoreProbe>();
            builder.Services.AddSingleton<IJobLease, PostgresJobLease>();
        }
        else
        {
            builder.Services.AddSingleton<IStoreProbe, LiteDbStoreProbe>();
            builder.Services.AddSingleton<IJobLease, SingleNodeLease>();
        }

        return builder;
    }

    /// <summary>
    /// Registers a store behind its interface, implemented once per provider: <typeparamref name="TLiteDb"/> on the
    /// LiteDB file, <typeparamref name="TPostgres"/> on PostgreSQL.
    /// </summary>
    public static IServiceCollection AddStore<TService, TLiteDb, TPostgres>(this IServiceCollection services, IConfiguration configuration)
        where TService : class
        where TLiteDb : class, TService
        where TPostgres : class, TService
    {
        if (UsesPostgres(configuration))
        {
            services.AddSingleton<TService, TPostgres>();
        }
        else
        {
            services.AddSingleton<TService, TLiteDb>();
        }

        return services;
    }

    /// <summary>
    /// Opens the store before the Console serves anything: on PostgreSQL the schema is migrated now, and a database
    /// this Console cannot run on stops the start with its reason instead of failing the first request.
    /// </summary>
    public static void OpenStorage(this IServiceProvider services)
    {
        if (services.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value.UsesPostgres)
        {
            services.GetRequiredService<PostgresDatabase>();
        }
    }

    private static bool UsesPostgres(IConfiguration configuration) =>
        string.Equals(StorageOptions.ProviderOf(configuration), StorageOptions.Postgres, StringComparison.Ordinal);
}
