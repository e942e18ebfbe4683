using Microsoft.Extensions.Time.Testing;
using ServiceHall.Shared.Contracts;
using ServiceHall.Testing;

namespace ServiceHall.Recorder.Tests.Uplink;

/// <summary>The outbox on a real LiteDB file: persist first, grow the sequence, shed snapshots never events, push back when full.</summary>
public sealed class OutboxTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 26, 1, 0, 0, TimeSpan.Zero);

    private static byte[] Jpeg(int bytes)
    {
        var jpeg = new byte[bytes];
        jpeg[0] = 0xFF;
        jpeg[1] = 0xD8;
        return jpeg;
    }

    [Fact]
    public async Task Publish_StoresInOrder_WithGrowingSequence_SurvivingReopen()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(At);
        long lastBefore;
        await using (var rig = UplinkRig.Offline(dir.Path, time))
        {
            for (var i = 0; i < 5; i++)
            {
                await rig.Outbox.PublishAsync(UplinkRig.Staffed(i, At), null, CancellationToken.None);
            }

            var batch = rig.Outbox.Peek(100, 1024 * 1024);
            Assert.Equal(5, batch.Count);
            Assert.True(batch.Zip(batch.Skip(1)).All(p => p.Second.Sequence == p.First.Sequence + 1), "sequences are consecutive");
            Assert.Equal(5, batch.Select(b => b.EventId).Distinct().Count());
            rig.Outbox.Complete(batch[0].Sequence, batch[^1].Sequence);
            Assert.Equal(0, rig.Outbox.Count);
            lastBefore = batch[^1].Sequence;
        }

        // Even a clock set back by a day must not make sequences shrink.
        await using (var reopened = UplinkRig.Offline(dir.Path, new FakeTimeProvider(At.AddDays(-1))))
        {
            await reopened.Outbox.PublishAsync(UplinkRig.Staffed(9, At), null, CancellationToken.None);
            var next = Assert.Single(reopened.Outbox.Peek(100, 1024 * 1024));
            Assert.Equal(lastBefore + 1, next.Sequence);
            Assert.Equal(UplinkRig.Staffed(9, At), next.Event);
        }
    }

    [Fact]
    public async Task Unacknowledged_Events_AreStillThereAfterReopen()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(At);
        await using (var rig = UplinkRig.Offline(dir.Path, time))
        {
            await rig.Outbox.PublishAsync(UplinkRig.Staffed(1, At), Jpeg(1000), CancellationToken.None);
            await rig.Outbox.PublishAsync(UplinkRig.Staffed(2, At), null, CancellationToken.None);
        }

        await using var reopened = UplinkRig.Offline(dir.Path, time);
        var batch = reopened.Outbox.Peek(100, 1024 * 1024);

        Assert.Equal(2, batch.Count);
        Assert.Equal(1000, batch[0].SnapshotJpeg!.Length);
        Assert.Equal(1000, reopened.Outbox.SnapshotBytes);
    }

    [Fact]
    public async Task FullSnapshotBudget_ShedsOldestSnapshots_KeepsEveryEvent()
    {
        using var dir = new TempDirectory();
        await using var rig = UplinkRig.Offline(dir.Path, new FakeTimeProvider(At), o => o.OutboxMaxSnapshotBytes = 25_000);

        for (var i = 0; i < 5; i++)
        {
            await rig.Outbox.PublishAsync(UplinkRig.Staffed(i, At), Jpeg(10_000), CancellationToken.None);
        }

        var batch = rig.Outbox.Peek(100, 1024 * 1024);
        Assert.Equal(5, batch.Count);
        Assert.Equal([false, false, false, true, true], batch.Select(b => b.SnapshotJpeg is not null));
        Assert.Equal(20_000, rig.Outbox.SnapshotBytes);
    }

    [Fact]
    public async Task FullOutbox_MakesPublisherWait_UntilAcknowledgementFreesRoom()
    {
        using var dir = new TempDirectory();
        await using var rig = UplinkRig.Offline(dir.Path, new FakeTimeProvider(At), o => o.OutboxMaxEvents = 100);
        for (var i = 0; i < 100; i++)
        {
            await rig.Outbox.PublishAsync(UplinkRig.Staffed(i, At), null, CancellationToken.None);
        }

        var blocked = rig.Outbox.PublishAsync(UplinkRig.Staffed(100, At), null, CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted, "the 101st event must wait, not grow the outbox");
        Assert.Equal(100, rig.Outbox.Count);

        var first = rig.Outbox.Peek(10, 1024 * 1024);
        rig.Outbox.Complete(first[0].Sequence, first[^1].Sequence);
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(91, rig.Outbox.Count);
    }

    [Fact]
    public async Task Peek_KeepsBatchUnderByteLimit_ButAlwaysSendsAtLeastOne()
    {
        using var dir = new TempDirectory();
        await using var rig = UplinkRig.Offline(dir.Path, new FakeTimeProvider(At));
        for (var i = 0; i < 4; i++)
        {
            await rig.Outbox.PublishAsync(UplinkRig.Staffed(i, At), Jpeg(300_000), CancellationToken.None);
        }

        Assert.Equal(2, rig.Outbox.Peek(100, 1024 * 1024).Count);
        Assert.Single(rig.Outbox.Peek(100, 100_000));
    }
}
