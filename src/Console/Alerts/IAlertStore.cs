namespace ServiceHall.Console.Alerts;

/// <summary>
/// Where <see cref="AlertEngine"/> keeps alerts: the LiteDB file (<see cref="LiteDbAlertStore"/>) or PostgreSQL
/// (<see cref="PostgresAlertStore"/>). The engine decides; the store only keeps what it decided.
/// </summary>
public interface IAlertStore
{
    /// <summary>Every alert not yet resolved (read once at start).</summary>
    IReadOnlyList<AlertRecord> Unresolved();

    /// <summary>
    /// Stores a new alert; false when its cause already has an unresolved alert in the store (opened by another node),
    /// or its id is taken (the alert of an event dispatched twice, <see cref="AlertEngine.EventAlertId"/>).
    /// </summary>
    bool Insert(AlertRecord record);

    /// <summary>Saves an alert's state, escalation, acknowledgement and resolution.</summary>
    void Update(AlertRecord record);

    AlertRecord? Find(string alertId);

    /// <summary>Every alert, newest raised first, read as far as the caller enumerates.</summary>
    IEnumerable<AlertRecord> NewestFirst();
}

/// <summary>
/// The webhook's durable queue: alert changes waiting for the receiver, oldest first, kept across restarts. Only
/// <see cref="AlertWebhook"/>'s one sender takes from it.
/// </summary>
public interface IWebhookQueue
{
    void Add(WebhookPost post);

    /// <summary>The oldest waiting post, or null.</summary>
    WebhookPost? Oldest();

    /// <summary>The receiver accepted it.</summary>
    void Remove(int postId);

    /// <summary>Saves the post's failed attempts so far.</summary>
    void SaveAttempts(WebhookPost post);

    int Count();
}
