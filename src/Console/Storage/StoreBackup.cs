using LiteDB;

namespace ServiceHall.Console.Storage;

/// <summary>
/// One store's part of a backup: a consistent copy written into the archive. LiteDB copies its file; a server store
/// (PostgreSQL) would add its dump the same way, so the archive, its manifest and restore's checks stay one thing.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public interface IStoreBackup
{
    string Name { get; }

    /// <summary>Paths, relative to the data folder, that this store copies itself; the folder walk leaves them out.</summary>
    IReadOnlyCollection<string> OwnFiles { get; }

    void WriteTo(BackupArchive archive);
}

/// <summary>
/// The LiteDB file, checkpointed (every committed transaction moved from its log into the data file) and then copied
/// while held exclusively: a Console that starts meanwhile fails to open it rather than writing under the copy. A
/// running Console holds the file open, so the backup refuses instead of copying a moving file.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LiteDbBackup(StorageOptions storage) : IStoreBackup
{
    public string Name => LiteDbStoreProbe.StoreName;

    public IReadOnlyCollection<string> OwnFiles => [DatabaseFile, LogFile];

    private string DatabaseFile => Path.GetFileName(storage.DatabasePath);

    private string LogFile => $"{Path.GetFileNameWithoutExtension(storage.DatabasePath)}-log{Path.GetExtension(storage.DatabasePath)}";

    public void WriteTo(BackupArchive archive)
    {
        var path = storage.DatabasePath;
        if (!File.Exists(path))
        {
            throw new BackupException($"no Console database at {path}");
        }

        // LiteDB shares its file with other handles, so only an exclusive open tells that no Console has it open.
        using (Exclusive(path))
        {
        }

        using (var database = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, new BsonMapper()))
        {
            database.Checkpoint();
        }

        using var file = Exclusive(path);
        var log = Path.Combine(Path.GetDirectoryName(path)!, LogFile);
        if (File.Exists(log) && new FileInfo(log).Length > 0)
        {
            throw new BackupException($"{log} still holds transactions after the checkpoint: the Console started during the backup; stop it and try again");
        }

        archive.Add(DatabaseFile, file, File.GetUnixFileMode(path));
    }

    private static FileStream Exclusive(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new BackupException($"{path} is in use ({ex.Message}): stop the Console, back up, start it again");
        }
    }
}

/// <summary>A backup or restore refused, with the reason for the operator.</summary>
public sealed class BackupException(string message) : Exception(message);
