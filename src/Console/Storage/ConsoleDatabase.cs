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
        Database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct });
    }

    public LiteDatabase Database { get; }

    public void Dispose() => Database.Dispose();
}
