using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>A window's debounced occupancy state, the same at the hall, on the wire and at the Console.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WindowState>))]
public enum WindowState
{
    /// <summary>No frames to judge by (camera, Recorder or link down): never counted as absence.</summary>
    Unknown,

    /// <summary>Someone at the seat.</summary>
    Staffed,

    /// <summary>Nobody at the seat for longer than the exit debounce, within the leave threshold.</summary>
    Away,

    /// <summary>Away longer than the leave threshold while the window should be open.</summary>
    Unstaffed,
}

/// <summary>How occupancy events map to window states: the one place this mapping is written.</summary>
public static class WindowStates
{
    /// <summary>The state an event puts its window in, or null for events that do not change a window's occupancy.</summary>
    public static WindowState? After(SiteEvent siteEvent) => siteEvent switch
    {
        WindowStaffed or WindowRestaffed => WindowState.Staffed,
        WindowVacated => WindowState.Away,
        WindowUnstaffed => WindowState.Unstaffed,
        WindowUnknown => WindowState.Unknown,
        _ => null,
    };
}
