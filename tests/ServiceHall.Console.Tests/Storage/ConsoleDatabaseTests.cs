using LiteDB;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Testing;

namespace ServiceHall.Console.Tests.Storage;

public sealed class ConsoleDatabaseTests
{
    [Fact]
    public void FlushLogToDisk_BeforeAnyCommitAndAfterOne_FlushesTheLogLiteDbWrote_AndKeepsTheData()
    {
        using var dir = new TempDirectory();
        var options = Options.Create(new StorageOptions { DataDirectory = dir.Path });
        using (var db = new ConsoleDatabase(options))
        {
            db.FlushLogToDisk();
            db.Database.GetCollection("probe").Insert(new BsonDocument { ["_id"] = "a", ["v"] = 1 });

            // The commit sits in LiteDB's log file, the one flushed here.
            Assert.True(new FileInfo(Path.Combine(dir.Path, "console-log.db")).Length > 0);
            db.FlushLogToDisk();
        }

        using var reopened = new ConsoleDatabase(options);
        Assert.Equal(1, reopened.Database.GetCollection("probe").FindById("a")["v"].AsInt32);
    }
}
