using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Recorder.Uplink;

/// <summary>
/// Sends the outbox to the Console one batch at a time, oldest first, over the <see cref="ConsoleLink"/>, and
/// marks a batch done only on the Console's acknowledgement. After a failure or a reconnect it starts again
/// from the oldest unacknowledged entry, so events arrive in order and a lost acknowledgement only causes a
/// replay the Console ignores. An event the Console rejects for good is parked, never resent.
/// </summary>
public sealed partial class OutboxSender(
    Outbox outbox,
    ConsoleLink link,
    IOptions<UplinkOptions> options,
    TimeProvider time,
    ILogger<OutboxSender> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = new RetryBackoff(options.Value.RetryInitialDelay, options.Value.RetryMaxDelay, time);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await link.WaitConnectedAsync(stoppingToken);
                var batch = outbox.Peek(options.Value.BatchMaxEvents, options.Value.BatchMaxBytes);
                if (batch.Count == 0)
                {
                    // Empty but not drained: a whole batch's worth was parked as unreadable, so look again at once.
                    if (outbox.Count == 0)
                    {
                        await outbox.WaitForEventsAsync(TimeSpan.FromSeconds(30), stoppingToken);
                    }

                    continue;
                }

                var ack = await link.Connection.InvokeAsync<EventBatchAcknowledged>(nameof(IRecorderHub.PublishEvents), new EventBatchSent(batch), stoppingToken);
                if (ack.FirstSequence != batch[0].Sequence || ack.LastSequence != batch[^1].Sequence)
                {
                    throw new InvalidOperationException($"acknowledgement {ack.FirstSequence}..{ack.LastSequence} does not match batch {batch[0].Sequence}..{batch[^1].Sequence}");
                }

                // Rejected for good: resending would fail the same way, so each is parked and the events after it go on.
                foreach (var rejected in ack.Rejected)
                {
                    LogRejected(logger, rejected.Sequence, rejected.Reason);
                    outbox.Park(rejected.Sequence, $"rejected by the Console: {rejected.Reason}");
                }

                outbox.Complete(ack.FirstSequence, ack.LastSequence);
                LogAcknowledged(logger, batch.Count, ack.LastSequence, ack.Duplicates);
                retry.Reset();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The batch stays in the outbox and is sent again; the loop never dies.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSendFailed(logger, outbox.Count, ex.Message);
                if (!await retry.WaitAsync(stoppingToken))
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Console acknowledged {Count} events up to sequence {LastSequence} ({Duplicates} already stored)")]
    private static partial void LogAcknowledged(ILogger logger, int count, long lastSequence, int duplicates);

    [LoggerMessage(Level = LogLevel.Error, Message = "Console rejected event {Sequence} for good: {Reason}")]
    private static partial void LogRejected(ILogger logger, long sequence, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events not delivered ({Pending} waiting in the outbox): {Reason}; retrying")]
    private static partial void LogSendFailed(ILogger logger, int pending, string reason);
}
