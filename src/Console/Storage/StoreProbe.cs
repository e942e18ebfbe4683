namespace ServiceHall.Console.Storage;

/// <summary>
/// One store the Console depends on, checked on demand: the health checks and the metrics each register one per
/// store, so a second store (PostgreSQL, Redis) adds a probe, not a change to either of them.
/// </summary>
public interface IStoreProbe
{
    /// <summary>A short stable name (<c>litedb</c>), used as the health check's and the metric label's value.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the node cannot do its work without this store: a required store that fails makes the node unready
    /// (the database: ingest would refuse); one that is not (Redis: only pushes between nodes stop) degrades it.
    /// </summary>
    bool Required { get; }

    StoreProbeResult Probe();
}

/// <summary>What a probe found. <paramref name="FreeBytes"/>: free disk where the store keeps its files, when it has a local folder.</summary>
public sealed record StoreProbeResult(bool Open, bool Writable, long? FreeBytes, string? Problem)
{
    public bool Working => Open && Writable;
}

/// <summary>
/// The LiteDB file: open (a read answers), writable (a probe document is written and committed) and the free disk of
/// its folder. The write is real on purpose: a read-only remount or a full disk shows here before ingest fails.
/// </summary>
public sealed class LiteDbStoreProbe(ConsoleDatabase db, Microsoft.Extensions.Options.IOptions<StorageOptions> options, TimeProvider time) : IStoreProbe
{
    public const string StoreName = "litedb";

    public string Name => StoreName;

    public bool Required => true;

    public StoreProbeResult Probe()
    {
        var free = FreeBytes(Path.GetDirectoryName(options.Value.DatabasePath)!);
        bool open;
        try
        {
            _ = db.Database.UserVersion;
            open = true;
        }
#pragma warning disable CA1031 // Any failure to read is the answer the probe exists to give.
        catch (Exception ex)
        {
            return new StoreProbeResult(false, false, free, $"database cannot be read: {ex.Message}");
        }

        try
        {
            db.Database.GetCollection<ProbeDocument>("store_probe").Upsert(new ProbeDocument { Id = 1, WrittenAtTicks = time.GetUtcNow().UtcTicks });
            return new StoreProbeResult(open, true, free, null);
        }
        catch (Exception ex)
        {
            return new StoreProbeResult(open, false, free, $"database cannot be written: {ex.Message}");
        }
#pragma warning restore CA1031
    }

    private static long? FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The one document the write probe rewrites.</summary>
    public sealed class ProbeDocument
    {
        public int Id { get; set; }

        public long WrittenAtTicks { get; set; }
    }
}
