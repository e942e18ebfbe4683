using LiteDB;
using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Storage;

/// <summary>The Console's one embedded LiteDB file, opened once for the process.</summary>
public sealed class ConsoleDatabase : IDisposable
{
    private readonly string _logPath;

    public ConsoleDatabase(IOptions<StorageOptions> options)
    {
        var path = options.Value.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Its own mapper: LiteDB's shared global mapper builds type maps unsafely when databases are used from several threads at once.
        Database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, new BsonMapper());
        _logPath = Path.Combine(Path.GetDirectoryName(path)!, $"{Path.GetFileNameWithoutExtension(path)}-log{Path.GetExtension(path)}");
    }

    public LiteDatabase Database { get; }

    /// <summary>
    /// Forces committed transactions onto the disk. LiteDB 5 writes a commit into its log file before <c>Commit</c>
    /// returns (a killed process loses nothing) but fsyncs only the data file, at checkpoints: without this a power cut
    /// could lose commits that were already acknowledged. Any handle's fsync flushes the file, so one is opened here.
    /// </summary>
    public void FlushLogToDisk()
    {
        try
        {
            using var log = new FileStream(_logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            log.Flush(flushToDisk: true);
        }
        catch (FileNotFoundException)
        {
            // No log file: nothing committed since the last checkpoint, which LiteDB flushed itself.
        }
    }

    public void Dispose() => Database.Dispose();
}
