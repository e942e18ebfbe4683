namespace ServiceHall.Bench.Failover;

/// <summary>An event a simulated Recorder produced: its site, its sequence there, its id, and when it happened.</summary>
public sealed record SentEvent(string SiteId, long Sequence, Guid EventId, long OccurredAtTicks, bool RaisesAlert);

/// <summary>A row of the Console's <c>events</c> table.</summary>
public sealed record StoredEvent(string SiteId, long Sequence, Guid EventId);

/// <summary>A row of the Console's <c>alerts</c> table.</summary>
public sealed record StoredAlert(string AlertId, string SiteId, string Type, string Subject);

/// <summary>
/// Events produced, stored, lost (produced, never stored), of those still undelivered (in a Recorder's outbox, never
/// acknowledged, so not lost for good), and stored more than once.
/// </summary>
public sealed record EventTally(int Sent, int Stored, int Lost, int Undelivered, int Duplicated, int Foreign);

/// <summary>Alerts the stored events should have opened, those open, and the causes with none or more than one.</summary>
public sealed record AlertTally(int Expected, int Stored, int Lost, int Doubled);

/// <summary>The drill's counting, apart from the processes it runs, so it can be checked on its own.</summary>
public static class Tally
{
    /// <summary>
    /// Lost: produced but not stored under its site and sequence with its id; undelivered: those of them still in
    /// <paramref name="pending"/> (an outbox). Duplicated: every row beyond the first of one (site, sequence) or of one
    /// event id. Foreign: stored rows no Recorder produced (a sequence holding another id).
    /// </summary>
    public static EventTally Events(IReadOnlyCollection<SentEvent> sent, IReadOnlyCollection<StoredEvent> stored, IReadOnlySet<Guid> pending)
    {
        var rows = stored.GroupBy(e => (e.SiteId, e.Sequence)).ToDictionary(g => g.Key, g => g.Select(e => e.EventId).ToList());
        var lost = sent.Where(s => !rows.TryGetValue((s.SiteId, s.Sequence), out var ids) || !ids.Contains(s.EventId)).ToList();
        var duplicated = rows.Values.Sum(ids => ids.Count - 1) + stored.GroupBy(e => e.EventId).Sum(g => g.Count() - 1);
        var produced = sent.Select(s => s.EventId).ToHashSet();
        var foreign = stored.Count(e => !produced.Contains(e.EventId));
        return new EventTally(sent.Count, stored.Count, lost.Count, lost.Count(s => pending.Contains(s.EventId)), duplicated, foreign);
    }

    /// <summary>
    /// Each stored event that raises an alert (a camera lost) should have opened exactly one alert of
    /// <paramref name="type"/> for its site and <paramref name="subject"/>: none is lost, two or more are doubled.
    /// </summary>
    public static AlertTally Alerts(IReadOnlyCollection<SentEvent> sent, IReadOnlyCollection<StoredEvent> stored, IReadOnlyCollection<StoredAlert> alerts, string type, string subject)
    {
        var storedIds = stored.Select(e => e.EventId).ToHashSet();
        var expected = sent.Where(s => s.RaisesAlert && storedIds.Contains(s.EventId)).Select(s => s.SiteId).ToHashSet(StringComparer.Ordinal);
        var opened = alerts.Where(a => a.Type == type && a.Subject == subject).GroupBy(a => a.SiteId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var lost = expected.Count(site => !opened.ContainsKey(site));
        var doubled = opened.Values.Sum(n => n - 1);
        return new AlertTally(expected.Count, opened.Values.Sum(), lost, doubled);
    }

    /// <summary>What one screen should have been pushed and was not: every key in <paramref name="expected"/> it did not receive.</summary>
    public static int Missed<T>(IReadOnlyCollection<T> expected, IReadOnlySet<T> received) => expected.Count(e => !received.Contains(e));
}
