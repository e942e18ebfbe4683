using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Configuration;
using StackExchange.Redis;

namespace ServiceHall.Console.Cluster;

/// <summary>The SignalR Redis backplane and the node bus, when <c>Cluster:Redis</c> is set; a bus to nobody otherwise.</summary>
public static class ClusterServices
{
    public static WebApplicationBuilder AddCluster(this WebApplicationBuilder builder, ISignalRServerBuilder signalR)
    {
        var services = builder.Services;
        services.AddSection<ClusterOptions>(builder.Configuration, ClusterOptions.Section);
        if (string.IsNullOrEmpty(builder.Configuration.GetSection(ClusterOptions.Section)[nameof(ClusterOptions.Redis)]))
        {
            services.AddSingleton<INodeBus, SingleNodeBus>();
            return builder;
        }

        services.AddSingleton<RedisConnection>();
        services.AddSingleton<INodeBus, RedisNodeBus>();
        services.AddHostedService<RedisConnection.Opener>();
        services.AddSingleton<IStoreProbe, RedisProbe>();
        signalR.AddStackExchangeRedis();
        // Redis for every node's connections, this node's own as the fallback (replaces the plain backplane).
        services.AddSingleton(typeof(RedisHubLifetimeManager<>));
        services.AddSingleton(typeof(DefaultHubLifetimeManager<>));
        services.AddSingleton(typeof(HubLifetimeManager<>), typeof(FallbackHubLifetimeManager<>));
        services.AddOptions<RedisOptions>().Configure<RedisConnection, Microsoft.Extensions.Options.IOptions<ClusterOptions>>((redis, connection, cluster) =>
        {
            redis.Configuration.ChannelPrefix = RedisChannel.Literal(cluster.Value.ChannelPrefix);
            redis.ConnectionFactory = async _ => await connection.GetAsync();
        });
        return builder;
    }
}
