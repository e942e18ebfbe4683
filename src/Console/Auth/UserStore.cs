using System.Security.Cryptography;
using LiteDB;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;

namespace ServiceHall.Console.Auth;

/// <summary>Users and their hashed passwords (ASP.NET Core's PasswordHasher) in LiteDB.</summary>
public sealed partial class UserStore(ConsoleDatabase db, IOptions<AuthOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger<UserStore> logger)
{
    public const string AdminUser = "admin";
    public const string InitialPasswordFile = "initial-admin-password.txt";
    private readonly PasswordHasher<UserRecord> _hasher = new();

    private ILiteCollection<UserRecord> Users => db.Database.GetCollection<UserRecord>("users");

    /// <summary>Creates the first admin when there is no user; a generated password is written to the data folder.</summary>
    public void EnsureAdmin()
    {
        if (Users.Count() > 0)
        {
            return;
        }

        var password = options.Value.InitialAdminPassword;
        var generated = password.Length == 0;
        if (generated)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)).Replace('/', 'x').Replace('+', 'y');
            var file = Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), InitialPasswordFile);
            File.WriteAllText(file, password + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            LogAdminCreated(logger, AdminUser, file);
        }

        Create(AdminUser, "管理员", Roles.Admin, password, mustChangePassword: true);
    }

    public UserRecord Create(string id, string displayName, string role, string password, bool mustChangePassword, IEnumerable<string>? districts = null)
    {
        var user = new UserRecord { Id = id, DisplayName = displayName, Role = role, MustChangePassword = mustChangePassword, CreatedAt = time.GetUtcNow(), Districts = [.. districts ?? []] };
        user.PasswordHash = _hasher.HashPassword(user, password);
        Users.Insert(user);
        return user;
    }

    public UserRecord? Verify(string id, string password)
    {
        var user = Users.FindById(id);
        if (user is null)
        {
            // Spend the same work as a real check so timing does not reveal which names exist.
            _hasher.VerifyHashedPassword(new UserRecord(), "AQAAAAIAAYagAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", password);
            return null;
        }

        var result = _hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = _hasher.HashPassword(user, password);
            Users.Update(user);
        }

        return result == PasswordVerificationResult.Failed ? null : user;
    }

    public UserRecord? Find(string id) => Users.FindById(id);

    public IReadOnlyList<UserRecord> All() => Users.FindAll().OrderBy(u => u.Id, StringComparer.Ordinal).ToList();

    /// <summary>Changes a user's role and districts.</summary>
    public void Update(UserRecord user) => Users.Update(user);

    public void ChangePassword(UserRecord user, string newPassword)
    {
        user.PasswordHash = _hasher.HashPassword(user, newPassword);
        user.MustChangePassword = false;
        Users.Update(user);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created first user '{User}'; its generated password is in {File}; it must be changed at first sign-in")]
    private static partial void LogAdminCreated(ILogger logger, string user, string file);
}
