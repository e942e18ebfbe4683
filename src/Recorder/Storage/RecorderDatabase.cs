using LiteDB;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Site;

namespace ServiceHall.Recorder.Storage;

/// <summary>The Recorder's one embedded LiteDB file (<c>{Site:DataDirectory}/recorder.db</c>), opened once for the process.</summary>
public sealed class RecorderDatabase : IDisposable
{
    public RecorderDatabase(IOptions<SiteOptions> site)
    {
        var directory = System.IO.Path.GetFullPath(site.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, "recorder.db");
        // Its own mapper: LiteDB's shared global mapper builds type maps unsafely when databases are used from several threads at once.
        Database = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct }, new BsonMapper());
    }

    public string Path { get; }

    public LiteDatabase Database { get; }

    public void Dispose() => Database.Dispose();
}
