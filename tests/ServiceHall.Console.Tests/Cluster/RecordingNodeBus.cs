using ServiceHall.Console.Cluster;

namespace ServiceHall.Console.Tests.Cluster;

/// <summary>A node bus that keeps what a unit sends, and says whether the node is in touch as the test sets it.</summary>
internal sealed class RecordingNodeBus : INodeBus
{
    public string NodeId => "node-under-test";

    public bool InTouch { get; set; } = true;

    public List<(string Topic, object Message)> Published { get; } = [];

    public Dictionary<(string Table, string Key), object> Saved { get; } = [];

    public void Publish<T>(string topic, T message) => Published.Add((topic, message!));

    public Task SubscribeAsync<T>(string topic, Func<T, Task> handle) => Task.CompletedTask;

    public void Save<T>(string table, string key, T value) => Saved[(table, key)] = value!;

    public Task<IReadOnlyList<T>> LoadAsync<T>(string table) =>
        Task.FromResult<IReadOnlyList<T>>([.. Saved.Where(s => s.Key.Table == table).Select(s => s.Value).OfType<T>()]);

    public event Action? Rejoined
    {
        add { }
        remove { }
    }
}
