using System.Text.Json;

namespace ServiceHall.Shared.Contracts;

/// <summary>The JSON settings SignalR's JSON protocol uses on both ends; tests pin message shapes with them.</summary>
public static class WireJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
