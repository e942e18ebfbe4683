namespace ServiceHall.Console.Auth;

/// <summary>Sign-in settings (section <c>Auth</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Password of the first admin, created when no user exists; empty means generate one and write it to the data folder.</summary>
    public string InitialAdminPassword { get; set; } = "";

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}
