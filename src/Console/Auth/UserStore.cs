using System.Security.Cryptography;
using LiteDB;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Secrets;

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
            PrivateFile.WriteAllText(file, password + "\n");

            LogAdminCreated(logger, AdminUser, file);
        }

        Create(AdminUser, "管理员", Roles.Admin, password, mustChangePassword: true);
    }

    public UserRecord Create(string id, string displayName, string role, string password, bool mustChangePassword, IEnumerable<string>? districts = null)
    {
        var user = new UserRecord { Id = id, DisplayName = displayName, Role = role, MustChangePassword = mustChangePassword, CreatedAt = time.GetUtcNow(), PasswordChangedAt = time.GetUtcNow(), Districts = [.. districts ?? []], SecurityStamp = NewStamp() };
        user.PasswordHash = _hasher.HashPassword(user, password);
        Users.Insert(user);
        return user;
    }

    public UserRecord? Verify(string id, string password)
    {
        var user = Users.FindById(id);
        if (user is null || user.Disabled)
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

    /// <summary>
    /// Raised with a user's id after a change that ends their sessions (role, districts, password, disabled), so
    /// long-lived connections such as the monitor hub's can be closed at once.
    /// </summary>
    public event Action<string>? SessionsEnded;

    /// <summary>Changes a user's display name, role and districts; a change of role or districts ends their sessions.</summary>
    public void UpdateAccess(UserRecord user, string displayName, string role, IEnumerable<string> districts)
    {
        List<string> newDistricts = [.. districts];
        var accessChanged = user.Role != role || !user.Districts.SequenceEqual(newDistricts, StringComparer.Ordinal);
        user.DisplayName = displayName;
        user.Role = role;
        user.Districts = newDistricts;
        Save(user, accessChanged);
    }

    /// <summary>Whether <paramref name="password"/> is the user's current password or one of those before it that are kept.</summary>
    public bool IsRecent(UserRecord user, string password) =>
        user.PreviousPasswordHashes.Prepend(user.PasswordHash)
            .Any(hash => _hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);

    /// <summary>Sets a new password and ends every session of the user; the caller signs the current one in again.</summary>
    public void ChangePassword(UserRecord user, string newPassword)
    {
        user.PreviousPasswordHashes = [.. user.PreviousPasswordHashes.Prepend(user.PasswordHash).Take(PasswordPolicy.RecentPasswords - 1)];
        user.PasswordHash = _hasher.HashPassword(user, newPassword);
        user.PasswordChangedAt = time.GetUtcNow();
        user.MustChangePassword = false;
        Save(user, endSessions: true);
    }

    /// <summary>Disables (or enables again) a user; either way their current sessions end.</summary>
    public void SetDisabled(UserRecord user, bool disabled)
    {
        user.Disabled = disabled;
        Save(user, endSessions: true);
    }

    private void Save(UserRecord user, bool endSessions)
    {
        if (endSessions)
        {
            user.SecurityStamp = NewStamp();
        }

        Users.Update(user);
        if (endSessions)
        {
            SessionsEnded?.Invoke(user.Id);
        }
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created first user '{User}'; its generated password is in {File}; it must be changed at first sign-in")]
    private static partial void LogAdminCreated(ILogger logger, string user, string file);
}
