using LiteDB;
using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Storage;

/// <summary>The Console's one embedded LiteDB file, opened once for the process.</summary>
public sealed class ConsoleDatabase : IDisposable
{
    public ConsoleDatabase(IOptions<StorageOptions> options)
    {
        var path = options.Value.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Its own mapper: LiteDB's shared global mapper builds type maps unsafely when databases are used from several threads at once.
        Database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, new BsonMapper());
    }

    public LiteDatabase Database { get; }

    public void Dispose() => Database.Dispose();
}
