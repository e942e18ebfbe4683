using JsonSerializer = System.Text.Json.JsonSerializer;
using LiteDB;
using ServiceHall.Recorder.Storage;

namespace ServiceHall.Recorder.Occupancy;

/// <summary>
/// Seat polygons set at the Console, kept in the Recorder's LiteDB as overrides of the settings file's: they survive a
/// restart, and a settings file edited later changes the seat again only after the override is removed.
/// </summary>
public sealed class SeatOverrides
{
    private readonly RecorderDatabase _db;
    private readonly TimeProvider _time;

    public SeatOverrides(RecorderDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        db.Database.Mapper.ToDocument(new SeatOverride());
    }

    private ILiteCollection<SeatOverride> Overrides => _db.Database.GetCollection<SeatOverride>("seat_overrides");

    public IReadOnlyList<SeatOverride> All() => [.. Overrides.FindAll()];

    /// <summary>Stores (or replaces) a window's seat; the caller has checked it.</summary>
    public void Save(string cameraId, string windowId, IReadOnlyList<double[]> seat, string changeId) =>
        Overrides.Upsert(new SeatOverride
        {
            Id = $"{cameraId}/{windowId}",
            CameraId = cameraId,
            WindowId = windowId,
            SeatJson = JsonSerializer.Serialize(seat),
            ChangeId = changeId,
            SavedAtTicks = _time.GetUtcNow().UtcTicks,
        });
}

/// <summary>One window's seat as set from the Console.</summary>
public sealed class SeatOverride
{
    public string Id { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string WindowId { get; set; } = "";

    /// <summary>The polygon as JSON ([[x, y], ...]), stored as text so LiteDB's mapper never reshapes it.</summary>
    public string SeatJson { get; set; } = "[]";

    public string ChangeId { get; set; } = "";

    public long SavedAtTicks { get; set; }

    public List<double[]> Polygon() => JsonSerializer.Deserialize<List<double[]>>(SeatJson) ?? [];
}
