using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Console.Auth;

/// <summary>Sign-in settings (section <c>Auth</c>).</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>Password of the first admin, created when no user exists; empty means generate one and write it to the data folder.</summary>
    public string InitialAdminPassword { get; set; } = "";

    /// <summary>Sign-in attempts allowed per client address per minute.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Sliding lifetime: a session unused this long ends.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Absolute lifetime: a session ends this long after sign-in however active it is.</summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InitialAdminPassword.Length is not (0 or >= 8))
        {
            yield return new ValidationResult("Auth:InitialAdminPassword must be empty (generate one) or at least 8 characters", [nameof(InitialAdminPassword)]);
        }

        if (SessionLifetime <= TimeSpan.Zero || SessionAbsoluteLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Auth:SessionLifetime and Auth:SessionAbsoluteLifetime must be positive", [nameof(SessionLifetime), nameof(SessionAbsoluteLifetime)]);
        }

        if (LoginAttemptsPerMinute < 1)
        {
            yield return new ValidationResult("Auth:LoginAttemptsPerMinute must be at least 1", [nameof(LoginAttemptsPerMinute)]);
        }
    }
}
