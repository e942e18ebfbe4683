using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Storage;
using ServiceHall.Shared.Secrets;

namespace ServiceHall.Console.Auth;

/// <summary>
/// The rules of the user store, whatever holds the rows: passwords hashed with ASP.NET Core's PasswordHasher, the
/// kept previous hashes, the security stamp renewed by every change that ends sessions, the first admin. Each
/// provider supplies only reading and writing a user.
/// </summary>
public abstract partial class UserStore(IOptions<AuthOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger logger) : IUserStore
{
    public const string AdminUser = "admin";
    public const string InitialPasswordFile = "initial-admin-password.txt";
    private readonly PasswordHasher<UserRecord> _hasher = new();

    public event Action<string>? SessionsEnded;

    public void EnsureAdmin()
    {
        if (AnyUser())
        {
            return;
        }

        var password = options.Value.InitialAdminPassword;
        var generated = password.Length == 0;
        if (generated)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)).Replace('/', 'x').Replace('+', 'y');
        }

        var file = Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), InitialPasswordFile);
        var admin = NewUser(AdminUser, "管理员", Roles.Admin, password, mustChangePassword: true, null);
        // The file is written before the admin is committed: a crash between the two leaves a password nobody can
        // use (the next start writes another), never an admin whose password nobody knows.
        if (InsertFirst(admin, generated ? () => PrivateFile.WriteAllText(file, password + "\n") : () => { }) && generated)
        {
            LogAdminCreated(logger, AdminUser, file);
        }
    }

    public UserRecord Create(string id, string displayName, string role, string password, bool mustChangePassword, IEnumerable<string>? districts = null)
    {
        var user = NewUser(id, displayName, role, password, mustChangePassword, districts);
        Insert(user);
        return user;
    }

    public UserRecord? Verify(string id, string password)
    {
        var user = Find(id);
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
            Update(user);
        }

        return result == PasswordVerificationResult.Failed ? null : user;
    }

    public abstract UserRecord? Find(string id);

    public abstract IReadOnlyList<UserRecord> All();

    public void UpdateAccess(UserRecord user, string displayName, string role, IEnumerable<string> districts)
    {
        List<string> newDistricts = [.. districts];
        var accessChanged = user.Role != role || !user.Districts.SequenceEqual(newDistricts, StringComparer.Ordinal);
        user.DisplayName = displayName;
        user.Role = role;
        user.Districts = newDistricts;
        Save(user, accessChanged);
    }

    public bool IsRecent(UserRecord user, string password) =>
        user.PreviousPasswordHashes.Prepend(user.PasswordHash)
            .Any(hash => _hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed);

    public void ChangePassword(UserRecord user, string newPassword)
    {
        user.PreviousPasswordHashes = [.. user.PreviousPasswordHashes.Prepend(user.PasswordHash).Take(PasswordPolicy.RecentPasswords - 1)];
        user.PasswordHash = _hasher.HashPassword(user, newPassword);
        user.PasswordChangedAt = time.GetUtcNow();
        user.MustChangePassword = false;
        Save(user, endSessions: true);
    }

    public void SetDisabled(UserRecord user, bool disabled)
    {
        user.Disabled = disabled;
        Save(user, endSessions: true);
    }

    /// <summary>Whether any user is stored (a cheap look before the first admin's password is hashed).</summary>
    protected abstract bool AnyUser();

    /// <summary>
    /// Stores <paramref name="user"/> only while no user exists, running <paramref name="beforeCommit"/> first; false
    /// when another user (or another node's first admin) is already there.
    /// </summary>
    protected abstract bool InsertFirst(UserRecord user, Action beforeCommit);

    /// <summary>Stores a new user; a name already taken (in any letter case) is refused with an exception.</summary>
    protected abstract void Insert(UserRecord user);

    protected abstract void Update(UserRecord user);

    private UserRecord NewUser(string id, string displayName, string role, string password, bool mustChangePassword, IEnumerable<string>? districts)
    {
        var now = time.GetUtcNow();
        var user = new UserRecord { Id = id, DisplayName = displayName, Role = role, MustChangePassword = mustChangePassword, CreatedAt = now, PasswordChangedAt = now, Districts = [.. districts ?? []], SecurityStamp = NewStamp() };
        user.PasswordHash = _hasher.HashPassword(user, password);
        return user;
    }

    private void Save(UserRecord user, bool endSessions)
    {
        if (endSessions)
        {
            user.SecurityStamp = NewStamp();
        }

        Update(user);
        if (endSessions)
        {
            SessionsEnded?.Invoke(user.Id);
        }
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created first user '{User}'; its generated password is in {File}; it must be changed at first sign-in")]
    private static partial void LogAdminCreated(ILogger logger, string user, string file);
}
