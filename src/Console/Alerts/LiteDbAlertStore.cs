using LiteDB;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>Alerts in the LiteDB file (one node: the engine's lock is the only writer, so an insert never conflicts).</summary>
public sealed class LiteDbAlertStore : IAlertStore
{
    private readonly ConsoleDatabase _db;

    public LiteDbAlertStore(ConsoleDatabase db)
    {
        _db = db;
        Alerts.EnsureIndex(a => a.State);
        Alerts.EnsureIndex(a => a.SiteId);
    }

    private ILiteCollection<AlertRecord> Alerts => _db.Database.GetCollection<AlertRecord>("alerts");

    public IReadOnlyList<AlertRecord> Unresolved() => [.. Alerts.Find(a => a.State != AlertStates.Resolved)];

    /// <summary>False if the id is taken (an event's alert raised before); the engine's lock makes check-then-insert atomic.</summary>
    public bool Insert(AlertRecord record)
    {
        if (Alerts.FindById(record.Id) is not null)
        {
            return false;
        }

        Alerts.Insert(record);
        return true;
    }

    public void Update(AlertRecord record) => Alerts.Update(record);

    public AlertRecord? Find(string alertId) => Alerts.FindById(alertId);

    public IEnumerable<AlertRecord> NewestFirst() => Alerts.Query().OrderByDescending(a => a.RaisedAtTicks).ToEnumerable();
}

/// <summary>The webhook's queue in the LiteDB file; ids grow, so the smallest is the oldest.</summary>
public sealed class LiteDbWebhookQueue(ConsoleDatabase db) : IWebhookQueue
{
    private ILiteCollection<WebhookPost> Posts => db.Database.GetCollection<WebhookPost>("webhook_posts");

    public void Add(WebhookPost post) => Posts.Insert(post);

    public WebhookPost? Oldest() => Posts.Query().OrderBy(p => p.Id).Limit(1).FirstOrDefault();

    public void Remove(int postId) => Posts.Delete(postId);

    public void SaveAttempts(WebhookPost post) => Posts.Update(post);

    public int Count() => Posts.Count();
}
