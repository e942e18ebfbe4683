using Microsoft.Extensions.Options;
using Npgsql;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Auth;

/// <summary>
/// Users in PostgreSQL, shared by every Console node. A name is unique in any letter case (as in LiteDB) by a unique
/// index, so two nodes starting together on an empty database create one first admin, not two.
/// </summary>
public sealed class PostgresUserStore(PostgresDatabase db, IOptions<AuthOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger<PostgresUserStore> logger)
    : UserStore(options, storage, time, logger)
{
    private const string Columns =
        "id, display_name, password_hash, role, must_change_password, password_changed_at, previous_password_hashes, districts, created_at, security_stamp, disabled";

    private const string Values = "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11";

    public override UserRecord? Find(string id) => Query($"SELECT {Columns} FROM users WHERE lower(id) = lower($1)", id).FirstOrDefault();

    public override IReadOnlyList<UserRecord> All() => Query($"SELECT {Columns} FROM users ORDER BY id COLLATE \"C\"");

    protected override bool AnyUser()
    {
        using var connection = db.Open();
        using var command = connection.Command("SELECT EXISTS (SELECT 1 FROM users)");
        return (bool)command.ExecuteScalar()!;
    }

    protected override bool InsertFirst(UserRecord user, Action beforeCommit)
    {
        using var connection = db.Open();
        using var transaction = connection.BeginTransaction();
        // A second node inserting at the same moment waits on the unique key until this commits, then inserts nothing.
        using var insert = connection.Command(
            $"INSERT INTO users ({Columns}) SELECT {Values} WHERE NOT EXISTS (SELECT 1 FROM users) ON CONFLICT DO NOTHING", Row(user));
        if (insert.ExecuteNonQuery() == 0)
        {
            return false;
        }

        beforeCommit();
        transaction.Commit();
        return true;
    }

    // A name taken in any letter case, also by another node a moment ago, is a conflict rather than a failure.
    protected override void Insert(UserRecord user)
    {
        if (db.Execute($"INSERT INTO users ({Columns}) VALUES ({Values}) ON CONFLICT DO NOTHING", Row(user)) == 0)
        {
            throw new UserExistsException(user.Id);
        }
    }

    protected override void Update(UserRecord user) =>
        db.Execute(
            """
            UPDATE users SET display_name = $2, password_hash = $3, role = $4, must_change_password = $5, password_changed_at = $6,
                previous_password_hashes = $7, districts = $8, created_at = $9, security_stamp = $10, disabled = $11
            WHERE id = $1
            """,
            Row(user));

    private static object?[] Row(UserRecord user) =>
    [
        user.Id, user.DisplayName, user.PasswordHash, user.Role, user.MustChangePassword, user.PasswordChangedAt,
        user.PreviousPasswordHashes.ToArray(), user.Districts.ToArray(), user.CreatedAt, user.SecurityStamp, user.Disabled,
    ];

    private List<UserRecord> Query(string sql, params object?[] values) => db.Query(Read, sql, values);

    private static UserRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        DisplayName = reader.GetString(1),
        PasswordHash = reader.GetString(2),
        Role = reader.GetString(3),
        MustChangePassword = reader.GetBoolean(4),
        PasswordChangedAt = reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        PreviousPasswordHashes = [.. reader.GetFieldValue<string[]>(6)],
        Districts = [.. reader.GetFieldValue<string[]>(7)],
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(8),
        SecurityStamp = reader.GetString(9),
        Disabled = reader.GetBoolean(10),
    };
}
