using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Alerts;

/// <summary>
/// Opens, acknowledges, escalates and resolves alerts, at most one unresolved alert per cause (type, site,
/// subject). Alerts live in an <see cref="IAlertStore"/>; the unresolved ones are also held in memory so the checks made on every
/// heartbeat cost no query. Callers push the returned changes to screens; the webhook is fed here.
/// </summary>
public sealed class AlertEngine
{
    private readonly IAlertStore _alerts;
    private readonly AlertWebhook _webhook;
    private readonly IOptions<AlertOptions> _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AlertRecord> _unresolved = new(StringComparer.Ordinal);

    public AlertEngine(IAlertStore alerts, AlertWebhook webhook, IOptions<AlertOptions> options, TimeProvider time)
    {
        _alerts = alerts;
        _webhook = webhook;
        _options = options;
        _time = time;
        foreach (var open in alerts.Unresolved())
        {
            _unresolved[open.Cause] = open;
        }
    }

    public static string Cause(string type, string siteId, string subject) => $"{type}|{siteId}|{subject}";

    /// <summary>Does what a rule decided for a site; returns the alert that opened or ended, or null if nothing changed.</summary>
    /// <remarks>
    /// An alert raised by an event (<paramref name="eventSequence"/>) gets an id made from the site, sequence, type and
    /// subject, so an event dispatched twice (a node alive but cut from its Recorder mid-dispatch, the batch resent to
    /// another node) raises it once, even if its cause was resolved in between.
    /// </remarks>
    public AlertView? Apply(AlertDecision decision, string siteId, string district, long? eventSequence = null) => decision switch
    {
        RaiseAlert raise => Raise(
            raise.Type, siteId, district, raise.Subject, raise.Message, raise.OpenedAt, raise.Absence, raise.SnapshotSequence,
            eventSequence is { } sequence ? EventAlertId(siteId, sequence, raise.Type, raise.Subject) : null),
        ResolveAlert resolve => ResolveCause(resolve.Type, siteId, resolve.Subject),
        _ => throw new ArgumentException($"unknown alert decision {decision.GetType().Name}", nameof(decision)),
    };

    /// <summary>The id of the alert an event raises: the same for every dispatch of that event, on any node.</summary>
    public static string EventAlertId(string siteId, long sequence, string type, string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Cause(type, siteId, subject) + "|" + sequence.ToString(CultureInfo.InvariantCulture)));
        return new Guid(hash.AsSpan(0, 16)).ToString("N");
    }

    /// <summary>
    /// Opens an alert unless one for the same cause is unresolved, or <paramref name="id"/> (given for an alert an event
    /// raises) was already used; returns the new alert or null.
    /// </summary>
    public AlertView? Raise(string type, string siteId, string district, string subject, string message, DateTimeOffset openedAt, AbsenceTimes? absence = null, long? snapshotSequence = null, string? id = null)
    {
        AlertRecord record;
        lock (_gate)
        {
            var cause = Cause(type, siteId, subject);
            if (_unresolved.ContainsKey(cause))
            {
                return null;
            }

            record = new AlertRecord
            {
                Id = id ?? Guid.NewGuid().ToString("N"),
                Cause = cause,
                Type = type,
                SiteId = siteId,
                District = district,
                Subject = subject,
                State = AlertStates.Open,
                Message = message,
                OpenedAtTicks = openedAt.UtcTicks,
                RaisedAtTicks = _time.GetUtcNow().UtcTicks,
                LastSeenAtTicks = absence?.LastSeenAt?.UtcTicks,
                VacatedAtTicks = absence?.VacatedAt?.UtcTicks,
                UnstaffedAtTicks = absence?.UnstaffedAt?.UtcTicks,
                SnapshotSequence = snapshotSequence,
            };
            // Another node may hold this cause already (PostgreSQL): then it is that node's alert, not a new one. The
            // store also refuses an id it holds: the same event's alert, raised before.
            if (!_alerts.Insert(record))
            {
                return null;
            }

            _unresolved[cause] = record;
        }

        return Notify(record);
    }

    /// <summary>Resolves the unresolved alert of a cause because the cause ended; null if there was none.</summary>
    public AlertView? ResolveCause(string type, string siteId, string subject, string by = "system")
    {
        lock (_gate)
        {
            if (!_unresolved.Remove(Cause(type, siteId, subject), out var record))
            {
                return null;
            }

            Resolve(record, by);
            return Notify(record);
        }
    }

    /// <summary>A person acknowledges an open alert; null if it does not exist or is no longer open.</summary>
    public AlertView? Acknowledge(string alertId, string user, string? note)
    {
        lock (_gate)
        {
            var record = Unresolved(alertId);
            if (record is null || record.State != AlertStates.Open)
            {
                return null;
            }

            record.State = AlertStates.Acknowledged;
            record.AcknowledgedAtTicks = _time.GetUtcNow().UtcTicks;
            record.AcknowledgedBy = user;
            record.Note = note;
            _alerts.Update(record);
            return Notify(record);
        }
    }

    /// <summary>A person resolves an alert by hand; null if it does not exist or is resolved already.</summary>
    public AlertView? ResolveByHand(string alertId, string user, string? note)
    {
        lock (_gate)
        {
            var record = Unresolved(alertId);
            if (record is null)
            {
                return null;
            }

            _unresolved.Remove(record.Cause);
            record.Note = note ?? record.Note;
            Resolve(record, user);
            return Notify(record);
        }
    }

    /// <summary>Raises the level of every open alert unacknowledged for another <see cref="AlertOptions.EscalateAfter"/>.</summary>
    public IReadOnlyList<AlertView> Escalate()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var step = _options.Value.EscalateAfter.Ticks;
        var changed = new List<AlertView>();
        lock (_gate)
        {
            foreach (var record in _unresolved.Values.Where(r => r.State == AlertStates.Open))
            {
                var due = (int)Math.Min(100, (now - record.RaisedAtTicks) / step);
                if (due > record.EscalationLevel)
                {
                    record.EscalationLevel = due;
                    _alerts.Update(record);
                    changed.Add(Notify(record));
                }
            }
        }

        return changed;
    }

    public AlertView? Find(string alertId) => _alerts.Find(alertId)?.ToView();

    /// <summary>Alerts of the given sites, newest first; unresolved only unless <paramref name="includeResolved"/>.</summary>
    public IReadOnlyList<AlertView> List(Func<string, bool> siteVisible, bool includeResolved, int limit)
    {
        IEnumerable<AlertRecord> records;
        if (includeResolved)
        {
            records = _alerts.NewestFirst();
        }
        else
        {
            lock (_gate)
            {
                records = _unresolved.Values.OrderByDescending(a => a.RaisedAtTicks).ToList();
            }
        }

        return records.Where(a => siteVisible(a.SiteId)).Take(limit).Select(a => a.ToView()).ToList();
    }

    private AlertRecord? Unresolved(string alertId) => _unresolved.Values.FirstOrDefault(r => r.Id == alertId);

    private void Resolve(AlertRecord record, string by)
    {
        record.State = AlertStates.Resolved;
        record.ResolvedAtTicks = _time.GetUtcNow().UtcTicks;
        record.ResolvedBy = by;
        _alerts.Update(record);
    }

    private AlertView Notify(AlertRecord record)
    {
        var view = record.ToView();
        _webhook.Enqueue(view);
        return view;
    }
}

/// <summary>An alert as stored.</summary>
public sealed class AlertRecord
{
    public string Id { get; set; } = "";

    public string Cause { get; set; } = "";

    public string Type { get; set; } = "";

    public string SiteId { get; set; } = "";

    public string District { get; set; } = "";

    public string Subject { get; set; } = "";

    public string State { get; set; } = AlertStates.Open;

    public string Message { get; set; } = "";

    /// <summary>When the cause began (e.g. when the seat was last occupied).</summary>
    public long OpenedAtTicks { get; set; }

    /// <summary>When the Console opened the alert; escalation counts from here.</summary>
    public long RaisedAtTicks { get; set; }

    public int EscalationLevel { get; set; }

    public long? AcknowledgedAtTicks { get; set; }

    public string? AcknowledgedBy { get; set; }

    public string? Note { get; set; }

    public long? ResolvedAtTicks { get; set; }

    public string? ResolvedBy { get; set; }

    /// <summary>An unstaffed window's absence (<see cref="AbsenceTimes"/>); all null for other alerts.</summary>
    public long? LastSeenAtTicks { get; set; }

    public long? VacatedAtTicks { get; set; }

    public long? UnstaffedAtTicks { get; set; }

    /// <summary>The site's event sequence whose snapshot shows the cause (a clerk inactive at the seat); null for other alerts.</summary>
    public long? SnapshotSequence { get; set; }

    public AlertView ToView() => new(
        Id, Type, SiteId, District, Subject, State, Message, At(OpenedAtTicks), EscalationLevel,
        At(AcknowledgedAtTicks), AcknowledgedBy, Note, At(ResolvedAtTicks), ResolvedBy,
        UnstaffedAtTicks is null ? null : new AbsenceTimes(At(LastSeenAtTicks), At(VacatedAtTicks), At(UnstaffedAtTicks)))
    {
        SnapshotSequence = SnapshotSequence,
    };

    private static DateTimeOffset At(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? At(long? ticks) => ticks is { } t ? At(t) : null;
}
