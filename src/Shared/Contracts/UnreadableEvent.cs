using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>
/// Never on the wire: what a reader finds in place of an event it cannot read, typically a type from a newer Recorder
/// (<see cref="Type"/>). The Console rejects it for good with <see cref="Problem"/> as the reason, so the Recorder parks
/// that one event and the rest of its batch, and every later one, goes on.
/// </summary>
public sealed record UnreadableEvent : SiteEvent
{
    /// <summary>The event's <c>type</c> as sent, or null when it had none.</summary>
    public string? Type { get; init; }

    public required string Problem { get; init; }
}

/// <summary>
/// Reads one event of a batch so that an event nobody here can read becomes an <see cref="UnreadableEvent"/> instead of
/// failing the whole batch (which the Recorder would resend forever); writes events as the <see cref="SiteEvent"/>
/// contract does.
/// </summary>
public sealed class TolerantEventConverter : JsonConverter<SiteEvent>
{
    public override SiteEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        try
        {
            return root.Deserialize<SiteEvent>(options) ?? Unreadable(type, "event is null");
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return Unreadable(type, type is not null && !Known(type)
                ? $"event type '{Truncate(type)}' is not known to this Console (a newer Recorder?)"
                : $"event cannot be read: {Truncate(ex.Message)}");
        }
    }

    public override void Write(Utf8JsonWriter writer, SiteEvent value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);

    private static bool Known(string type) =>
        typeof(SiteEvent).GetCustomAttributes(typeof(JsonDerivedTypeAttribute), inherit: false)
            .OfType<JsonDerivedTypeAttribute>()
            .Any(a => Equals(a.TypeDiscriminator, type));

    private static UnreadableEvent Unreadable(string? type, string problem) =>
        new() { Type = type, Problem = problem, OccurredAt = default, CameraId = "" };

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
