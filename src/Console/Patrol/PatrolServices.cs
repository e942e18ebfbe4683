using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Patrol;

/// <summary>Video patrols and their findings.</summary>
public static class PatrolServices
{
    public static WebApplicationBuilder AddPatrol(this WebApplicationBuilder builder)
    {
        builder.Services.AddStore<IPatrolStore, LiteDbPatrolStore, PostgresPatrolStore>(builder.Configuration);
        return builder;
    }
}
