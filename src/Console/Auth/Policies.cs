namespace ServiceHall.Console.Auth;

/// <summary>Names of the authorization policies endpoints require; <see cref="AuthServices.AddAuth"/> defines them.</summary>
public static class Policies
{
    /// <summary>An Admin or Supervisor who has changed the initial password.</summary>
    public const string Supervisor = "supervisor";

    /// <summary>An Admin who has changed the initial password.</summary>
    public const string Admin = "admin";

    /// <summary>A signed-in user, even before the forced password change.</summary>
    public const string SignedIn = "signed-in";
}
