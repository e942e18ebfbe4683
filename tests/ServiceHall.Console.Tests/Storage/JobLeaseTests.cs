using Microsoft.Extensions.Logging.Abstractions;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Tests.Storage;

/// <summary>Two nodes' leases on one real PostgreSQL database.</summary>
public sealed class JobLeaseTests
{
    [Fact]
    public async Task OneNodeHoldsAJob_TheOtherTakesItOverWhenTheHolderDies_AndJobsAreIndependent()
    {
        await using var world = await StoreWorld.CreateAsync(StoreProvider.Postgres);
        var node1 = new PostgresJobLease(world.Postgres, NullLogger<PostgresJobLease>.Instance);
        using var node2 = new PostgresJobLease(world.Postgres, NullLogger<PostgresJobLease>.Instance);

        var first = (node1.Holds("escalation"), node2.Holds("escalation"));
        var again = (node1.Holds("escalation"), node2.Holds("escalation"));
        var otherJob = node2.Holds("audit-retention");
        node1.Dispose(); // the holder's sessions end, as when its process is killed
        var takenOver = node2.Holds("escalation");

        Assert.Equal((true, false), first);
        Assert.Equal((true, false), again);
        Assert.True(otherJob);
        Assert.True(takenOver);
    }

    [Fact]
    public void SingleNode_HoldsEveryJob() => Assert.True(new SingleNodeLease().Holds("escalation"));
}
