using System.Collections.Concurrent;

namespace ServiceHall.Bench.Failover;

/// <summary>Why connects and sends failed, or what a node warned about, counted by kind, for the report.</summary>
public sealed class FailureReasons
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Note(string reason) => _counts.AddOrUpdate(First(reason), 1, (_, n) => n + 1);

    public void Note(Exception ex)
    {
        var inner = ex.InnerException is { } cause ? $": {cause.GetType().Name}: {First(cause.Message)}" : "";
        _counts.AddOrUpdate($"{ex.GetType().Name}: {First(ex.Message)}{inner}", 1, (_, n) => n + 1);
    }

    public void Clear() => _counts.Clear();

    /// <summary>The most frequent reasons, most frequent first.</summary>
    public IEnumerable<string> Top(int count) => _counts.OrderByDescending(c => c.Value).Take(count).Select(c => $"{c.Value} x {c.Key}");

    private static string First(string message) => message.Length > 160 ? message[..160] : message;
}
