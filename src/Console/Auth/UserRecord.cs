namespace ServiceHall.Console.Auth;

/// <summary>Roles, from most to least powerful.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Supervisor = "Supervisor";
    public const string Viewer = "Viewer";
}

/// <summary>A Console user, as stored.</summary>
public sealed class UserRecord
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    public string Role { get; set; } = Roles.Viewer;

    public bool MustChangePassword { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
