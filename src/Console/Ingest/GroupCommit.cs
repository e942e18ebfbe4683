using System.Collections.Concurrent;
using JsonSerializer = System.Text.Json.JsonSerializer;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>A batch of one site waiting for a <see cref="GroupCommit"/>'s writer.</summary>
public sealed record PendingBatch(string SiteId, EventBatchSent Batch);

/// <summary>A stored batch whose events were dispatched: its "dispatch pending" mark waits for a writer to clear it.</summary>
public sealed record DispatchedBatch(string SiteId, IngestResult Result);

/// <summary>
/// Group commit, for both providers: batches that arrive while one is being written queue up, and whoever finds no
/// writer at work writes everything queued in one transaction, so concurrent Recorders share one commit. A failed write
/// fails every batch in it: nothing is acknowledged and each Recorder sends again (a commit that did land is then a
/// duplicate). Dispatched batches' marks are cleared the same way, in the next group's transaction (no commit of their
/// own while batches keep arriving); a failed write leaves them set, which costs at most one more dispatch of a
/// batch that is resent.
/// </summary>
internal sealed class GroupCommit(
    Func<IReadOnlyList<PendingBatch>, IReadOnlyList<DispatchedBatch>, DateTimeOffset, IReadOnlyList<IngestResult>> write,
    TimeProvider time)
{
    private const int MaxBatchesPerCommit = 512;

    private readonly ConcurrentQueue<(PendingBatch Batch, TaskCompletionSource<IngestResult> Done)> _pending = new();
    private readonly ConcurrentQueue<DispatchedBatch> _dispatched = new();
    private int _writing;

    public Task<IngestResult> StoreAsync(string siteId, EventBatchSent batch)
    {
        var done = new TaskCompletionSource<IngestResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending.Enqueue((new PendingBatch(siteId, batch), done));
        WriteWhileQueued();
        return done.Task;
    }

    /// <summary>Queues the clearing of a dispatched batch's mark; written now if no writer is at work.</summary>
    public void Dispatched(string siteId, IngestResult result)
    {
        _dispatched.Enqueue(new DispatchedBatch(siteId, result));
        WriteWhileQueued();
    }

    private void WriteWhileQueued()
    {
        // Whoever finds no writer at work becomes the writer and drains what has queued up, including its own.
        while ((!_pending.IsEmpty || !_dispatched.IsEmpty) && Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
        {
            try
            {
                WritePending();
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }

    private void WritePending()
    {
        var group = new List<(PendingBatch Batch, TaskCompletionSource<IngestResult> Done)>();
        while (group.Count < MaxBatchesPerCommit && _pending.TryDequeue(out var next))
        {
            group.Add(next);
        }

        var dispatched = new List<DispatchedBatch>();
        while (_dispatched.TryDequeue(out var cleared))
        {
            dispatched.Add(cleared);
        }

        if (group.Count == 0 && dispatched.Count == 0)
        {
            return;
        }

        IReadOnlyList<IngestResult> results;
        try
        {
            results = write([.. group.Select(g => g.Batch)], dispatched, time.GetUtcNow());
        }
#pragma warning disable CA1031 // Handed to every waiting caller: nothing is acknowledged, each Recorder sends again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var (_, done) in group)
            {
                done.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            group[i].Done.TrySetResult(results[i]);
        }
    }
}

/// <summary>What both providers decide alike about the events of a batch: which are acceptable, and the acknowledgement.</summary>
internal static class EventWrites
{
    /// <summary>
    /// The event's wire JSON (the one serialisation of it: what is stored and what the size limit counts) and, if it
    /// must be rejected for good, why.
    /// </summary>
    public static string? Check(EventRecorded entry, DateTimeOffset now, IngestOptions options, int maxSnapshotBytes, out string json)
    {
        json = entry.Event is null or UnreadableEvent ? "" : JsonSerializer.Serialize(entry.Event, WireJson.Options);
        return EventRules.CheckEvent(entry, json, now, options, maxSnapshotBytes);
    }

    /// <summary>A sequence already stored under another event id: a Recorder whose database was replaced. Never overwritten.</summary>
    public static EventRejected Reused(long sequence, Guid holder) =>
        new(sequence, $"sequence {sequence} already holds another event ({holder})");

    public static EventBatchAcknowledged Acknowledge(EventBatchSent batch, int stored, int duplicates, IEnumerable<EventRejected> rejected) =>
        new(batch.Events[0].Sequence, batch.Events[^1].Sequence, stored, duplicates, [.. rejected.OrderBy(r => r.Sequence)]);
}
