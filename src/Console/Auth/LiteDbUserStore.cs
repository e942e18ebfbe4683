using LiteDB;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Auth;

/// <summary>Users in the LiteDB file; its id index ignores letter case, so "Admin" finds "admin".</summary>
public sealed class LiteDbUserStore(ConsoleDatabase db, IOptions<AuthOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger<LiteDbUserStore> logger)
    : UserStore(options, storage, time, logger)
{
    private readonly Lock _first = new();

    private ILiteCollection<UserRecord> Users => db.Database.GetCollection<UserRecord>("users");

    public override UserRecord? Find(string id) => Users.FindById(id);

    public override IReadOnlyList<UserRecord> All() => Users.FindAll().OrderBy(u => u.Id, StringComparer.Ordinal).ToList();

    protected override bool AnyUser() => Users.Count() > 0;

    // The file is this process's alone, so a lock is enough to keep "no user yet" true until the insert.
    protected override bool InsertFirst(UserRecord user, Action beforeCommit)
    {
        lock (_first)
        {
            if (AnyUser())
            {
                return false;
            }

            beforeCommit();
            Users.Insert(user);
            return true;
        }
    }

    protected override void Insert(UserRecord user)
    {
        try
        {
            Users.Insert(user);
        }
        catch (LiteException ex) when (ex.ErrorCode == LiteException.INDEX_DUPLICATE_KEY)
        {
            throw new UserExistsException(user.Id);
        }
    }

    protected override void Update(UserRecord user) => Users.Update(user);
}
