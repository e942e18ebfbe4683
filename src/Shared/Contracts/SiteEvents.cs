using System.Text.Json.Serialization;

namespace ServiceHall.Shared.Contracts;

/// <summary>
/// Something that happened at a hall, recorded at the edge and delivered to the Console at least once
/// (the outbox gives each one an id and a per-site sequence). The JSON carries a "type" discriminator,
/// so an old Console refuses an unknown event type instead of misreading it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(WindowStaffed), nameof(WindowStaffed))]
[JsonDerivedType(typeof(WindowVacated), nameof(WindowVacated))]
[JsonDerivedType(typeof(WindowUnstaffed), nameof(WindowUnstaffed))]
[JsonDerivedType(typeof(WindowRestaffed), nameof(WindowRestaffed))]
[JsonDerivedType(typeof(WindowUnknown), nameof(WindowUnknown))]
[JsonDerivedType(typeof(CameraLost), nameof(CameraLost))]
[JsonDerivedType(typeof(CameraRegained), nameof(CameraRegained))]
public abstract record SiteEvent
{
    /// <summary>When it happened: video time for occupancy, wall time of the Recorder otherwise (UTC).</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    public required string CameraId { get; init; }
}

/// <summary>A window's seat is occupied again after the entry debounce.</summary>
public sealed record WindowStaffed : SiteEvent
{
    public required string WindowId { get; init; }
}

/// <summary>Nobody at the seat for longer than the exit debounce.</summary>
public sealed record WindowVacated : SiteEvent
{
    public required string WindowId { get; init; }
}

/// <summary>Away longer than the leave threshold while the schedule says the window is open: this raises the alert.</summary>
public sealed record WindowUnstaffed : SiteEvent
{
    public required string WindowId { get; init; }

    /// <summary>Since when the seat has been empty.</summary>
    public required DateTimeOffset AwaySince { get; init; }
}

/// <summary>Someone is back at a window that was unstaffed: this resolves the alert.</summary>
public sealed record WindowRestaffed : SiteEvent
{
    public required string WindowId { get; init; }

    public required DateTimeOffset AwaySince { get; init; }
}

/// <summary>No frames to judge the window by (camera or Recorder down): never counted as absence.</summary>
public sealed record WindowUnknown : SiteEvent
{
    public required string WindowId { get; init; }

    public required string Reason { get; init; }
}

/// <summary>A camera stopped delivering frames (connection lost or stalled).</summary>
public sealed record CameraLost : SiteEvent
{
    public required string Reason { get; init; }
}

/// <summary>A camera delivers frames again.</summary>
public sealed record CameraRegained : SiteEvent
{
    public required int Width { get; init; }

    public required int Height { get; init; }
}
