namespace ServiceHall.Console.Cluster;

/// <summary>
/// What Console nodes tell each other about live state that lives in memory (fleet status, window board, snapshots,
/// live segments, viewers). A feature publishes what changed on its node and applies what other nodes published; on
/// one node (no <c>Cluster:Redis</c>) nothing is sent and nothing arrives. Delivery is best effort, as pushes are:
/// while Redis is down each node keeps its own view, and <see cref="Rejoined"/> tells features to reload the shared
/// tables once it is back.
/// </summary>
public interface INodeBus
{
    /// <summary>This node's id, unique per process.</summary>
    string NodeId { get; }

    /// <summary>Whether this node hears what the others publish (always, on one node).</summary>
    bool InTouch { get; }

    /// <summary>Sends <paramref name="message"/> to every other node subscribed to <paramref name="topic"/>; never throws, never waits.</summary>
    void Publish<T>(string topic, T message);

    /// <summary>
    /// Calls <paramref name="handle"/>, one message at a time in the order sent, for each message another node publishes
    /// on <paramref name="topic"/>. Completes once subscribed, or once it failed (Redis down: retried when it returns).
    /// </summary>
    Task SubscribeAsync<T>(string topic, Func<T, Task> handle);

    /// <summary>Keeps <paramref name="value"/> as the latest of <paramref name="key"/> in the shared table, for nodes that start later; never throws, never waits.</summary>
    void Save<T>(string table, string key, T value);

    /// <summary>Every value of the shared table; empty when there is none or Redis is down.</summary>
    Task<IReadOnlyList<T>> LoadAsync<T>(string table);

    /// <summary>Raised when messages flow again after an outage: reload the shared tables.</summary>
    event Action? Rejoined;
}

/// <summary>One node: there is nobody to tell.</summary>
public sealed class SingleNodeBus : INodeBus
{
    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public bool InTouch => true;

    public void Publish<T>(string topic, T message)
    {
    }

    public Task SubscribeAsync<T>(string topic, Func<T, Task> handle) => Task.CompletedTask;

    public void Save<T>(string table, string key, T value)
    {
    }

    public Task<IReadOnlyList<T>> LoadAsync<T>(string table) => Task.FromResult<IReadOnlyList<T>>([]);

    public event Action? Rejoined
    {
        add { }
        remove { }
    }
}
