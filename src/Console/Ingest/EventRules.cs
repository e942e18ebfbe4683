using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Ingest;

/// <summary>Pure checks of outbox batches and their events; each returns the problem, or null when it is fine.</summary>
public static class EventRules
{
    public const int MaxTextLength = 2000;

    /// <summary>Problems that make the whole batch unusable (the Recorder is broken, not one event).</summary>
    public static string? CheckBatch(EventBatchSent? batch)
    {
        if (batch?.Events is null || batch.Events.Count == 0)
        {
            return "batch has no events";
        }

        if (batch.Events.Count > EventBatchLimits.MaxEvents)
        {
            return $"batch has {batch.Events.Count} events, more than {EventBatchLimits.MaxEvents}";
        }

        long previous = 0;
        foreach (var entry in batch.Events)
        {
            if (entry is null)
            {
                return "batch holds a null entry";
            }

            if (entry.Sequence <= previous)
            {
                return $"sequence {entry.Sequence} is not above {previous}: a batch must be in ascending order";
            }

            previous = entry.Sequence;
        }

        return null;
    }

    /// <summary>Problems with one event; the event is rejected for good, the rest of the batch is stored.</summary>
    public static string? CheckEvent(EventRecorded entry, string eventJson, DateTimeOffset now, IngestOptions options, int maxSnapshotBytes)
    {
        if (entry.EventId == Guid.Empty)
        {
            return "event id is empty";
        }

        if (entry.Event is null)
        {
            return "event is missing";
        }

        if (entry.Event is UnreadableEvent unreadable)
        {
            return unreadable.Problem;
        }

        if (eventJson.Length > options.MaxEventJsonBytes)
        {
            return $"event is {eventJson.Length} bytes of JSON, more than {options.MaxEventJsonBytes}";
        }

        if ((CheckTime("recordedAt", entry.RecordedAt, now, options) ?? CheckTime("occurredAt", entry.Event.OccurredAt, now, options)) is { } timeProblem)
        {
            return timeProblem;
        }

        if (CheckFields(entry.Event) is { } fieldProblem)
        {
            return fieldProblem;
        }

        if (entry.SnapshotJpeg is { } jpeg)
        {
            if (jpeg.Length < 4 || jpeg.Length > maxSnapshotBytes)
            {
                return $"snapshot is {jpeg.Length} bytes, outside 4..{maxSnapshotBytes}";
            }

            if (jpeg[0] != 0xFF || jpeg[1] != 0xD8)
            {
                return "snapshot is not a JPEG";
            }
        }

        return null;
    }

    private static string? CheckTime(string name, DateTimeOffset at, DateTimeOffset now, IngestOptions options)
    {
        if (at > now + options.MaxClockSkew)
        {
            return $"{name} {at:O} is more than {options.MaxClockSkew} ahead of the Console's clock";
        }

        return at < now - options.MaxEventAge ? $"{name} {at:O} is older than {options.MaxEventAge}" : null;
    }

    /// <summary>
    /// Every event type, present and future: ids are slugs (they name folders and groups), texts are bounded. The
    /// fields are read from the typed event in the order and under the names its wire JSON has, without parsing it.
    /// </summary>
    private static string? CheckFields(SiteEvent siteEvent)
    {
        foreach (var property in WireJson.Options.GetTypeInfo(siteEvent.GetType()).Properties)
        {
            if (property.PropertyType != typeof(string) || property.Get?.Invoke(siteEvent) is not string text)
            {
                continue;
            }

            if (property.Name.EndsWith("Id", StringComparison.Ordinal) && !Slug.IsValid(text))
            {
                return $"{property.Name} '{Truncate(text)}' is not a slug";
            }

            if (text.Length > MaxTextLength)
            {
                return $"{property.Name} is longer than {MaxTextLength} characters";
            }
        }

        return null;
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
