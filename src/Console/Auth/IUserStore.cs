namespace ServiceHall.Console.Auth;

/// <summary>Console users and their hashed passwords, on the LiteDB file or on PostgreSQL (<see cref="UserStore"/> holds the rules).</summary>
public interface IUserStore
{
    /// <summary>
    /// Raised with a user's id after a change that ends their sessions (role, districts, password, disabled), so
    /// long-lived connections such as the monitor hub's can be closed at once.
    /// </summary>
    event Action<string>? SessionsEnded;

    /// <summary>Creates the first admin when there is no user; a generated password is written to the data folder.</summary>
    void EnsureAdmin();

    /// <summary>Creates a user; throws <see cref="UserExistsException"/> when the name is taken in any letter case.</summary>
    UserRecord Create(string id, string displayName, string role, string password, bool mustChangePassword, IEnumerable<string>? districts = null);

    UserRecord? Verify(string id, string password);

    UserRecord? Find(string id);

    IReadOnlyList<UserRecord> All();

    /// <summary>Changes a user's display name, role and districts; a change of role or districts ends their sessions.</summary>
    void UpdateAccess(UserRecord user, string displayName, string role, IEnumerable<string> districts);

    /// <summary>Whether <paramref name="password"/> is the user's current password or one of those before it that are kept.</summary>
    bool IsRecent(UserRecord user, string password);

    /// <summary>Sets a new password and ends every session of the user; the caller signs the current one in again.</summary>
    void ChangePassword(UserRecord user, string newPassword);

    /// <summary>Disables (or enables again) a user; either way their current sessions end.</summary>
    void SetDisabled(UserRecord user, bool disabled);
}
