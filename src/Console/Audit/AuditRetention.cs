using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Audit;

/// <summary>
/// Prunes entries older than <see cref="AuditOptions.RetentionDays"/> at start and once a day, and writes the chain's
/// head to the service log each time, so a copy of that log kept elsewhere can show the newest entries were not cut.
/// </summary>
public sealed partial class AuditRetention(AuditLog audit, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditRetention> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        do
        {
            try
            {
                var cutoff = time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays);
                var pruned = audit.Prune(cutoff);
                var head = audit.Head();
                LogHead(logger, pruned, head.Id, head.Hash);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogPruneFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit retention: pruned {Pruned} entries; chain head #{HeadId} {HeadHash}")]
    private static partial void LogHead(ILogger logger, long pruned, int headId, string headHash);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit retention: pruning failed; will retry in a day")]
    private static partial void LogPruneFailed(ILogger logger, Exception ex);
}
