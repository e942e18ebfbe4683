namespace ServiceHall.Console.Auth;

/// <summary>Roles, from most to least powerful.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Supervisor = "Supervisor";
    public const string Viewer = "Viewer";

    public static bool IsKnown(string role) => role is Admin or Supervisor or Viewer;
}

/// <summary>A Console user, as stored.</summary>
public sealed class UserRecord
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = Roles.Viewer;

    public bool MustChangePassword { get; set; }

    /// <summary>When the password was last set; null for users stored before this was kept (their creation counts).</summary>
    public DateTimeOffset? PasswordChangedAt { get; set; }

    /// <summary>Hashes of the passwords before the current one, newest first, so none of them is chosen again.</summary>
    public List<string> PreviousPasswordHashes { get; set; } = [];

    /// <summary>Districts whose sites a Supervisor or Viewer may see; an Admin sees every site.</summary>
    public List<string> Districts { get; set; } = [];

    /// <summary>Whether this user may see a site of <paramref name="district"/>.</summary>
    public bool MaySee(string district) => Role == Roles.Admin || Districts.Contains(district, StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Renewed whenever role, districts, password or the disabled flag change; a session carries the stamp it was
    /// signed in with and ends once the two differ.
    /// </summary>
    public string SecurityStamp { get; set; } = "";

    /// <summary>A disabled user cannot sign in and every session of theirs has ended.</summary>
    public bool Disabled { get; set; }
}
