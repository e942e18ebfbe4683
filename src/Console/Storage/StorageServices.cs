using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Storage;

/// <summary>The Console's database file and where it lives.</summary>
public static class StorageServices
{
    public static WebApplicationBuilder AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSection<StorageOptions>(builder.Configuration, StorageOptions.Section);
        builder.Services.AddSingleton<ConsoleDatabase>();
        builder.Services.AddSingleton<IStoreProbe, LiteDbStoreProbe>();
        return builder;
    }
}
