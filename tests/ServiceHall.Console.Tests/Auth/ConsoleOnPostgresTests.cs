using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Holds;
using ServiceHall.Console.Patrol;
using ServiceHall.Console.Review;
using ServiceHall.Console.Seats;
using ServiceHall.Console.Storage;
using ServiceHall.Console.Tests.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Auth;

/// <summary>A real Console on PostgreSQL: the converted stores are the PostgreSQL ones, and the first admin can sign in.</summary>
public sealed class ConsoleOnPostgresTests
{
    [Fact]
    public async Task Console_OnPostgres_UsesThePostgresStores_AndItsFirstAdminSignsIn()
    {
        await using var world = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        await using var server = await ConsoleServer.StartAsync(TestKeyRing.PostgresConsoleArgs(world.Options.Value.ConnectionString!));
        var services = server.App.Services;

        Assert.IsType<PostgresUserStore>(services.GetRequiredService<IUserStore>());
        Assert.IsType<PostgresSeatStore>(services.GetRequiredService<ISeatStore>());
        Assert.IsType<PostgresHoldStore>(services.GetRequiredService<IHoldStore>());
        Assert.IsType<PostgresClipStore>(services.GetRequiredService<ClipStore>());
        Assert.IsType<PostgresCaseStore>(services.GetRequiredService<ICaseStore>());
        Assert.IsType<PostgresPatrolStore>(services.GetRequiredService<IPatrolStore>());
        Assert.IsType<ServiceHall.Console.Ingest.PostgresEventStore>(services.GetRequiredService<ServiceHall.Console.Ingest.IEventStore>());
        Assert.IsType<ServiceHall.Console.Sites.CachedSiteStore>(services.GetRequiredService<ServiceHall.Console.Sites.ISiteStore>());
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "console.db")), "no LiteDB file on PostgreSQL");

        using var client = server.AnonymousClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { user = "admin", password = ConsoleServer.AdminPassword });
        login.EnsureSuccessStatusCode();
        Assert.Equal(UserStore.AdminUser, Assert.Single(world.Postgres.Query(reader => reader.GetString(0), "SELECT id FROM users")));
    }

}
