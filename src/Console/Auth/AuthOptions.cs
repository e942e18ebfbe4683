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

    /// <summary>Failed sign-ins in a row, per account name, that lock it.</summary>
    public int LockoutThreshold { get; set; } = 5;

    /// <summary>The first lock; each further failure doubles it.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest lock.</summary>
    public TimeSpan LockoutMaxDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The shortest password a user may choose (at least 12).</summary>
    public int PasswordMinLength { get; set; } = 12;

    /// <summary>Days after which a password must be changed at the next sign-in; 0 = never.</summary>
    public int PasswordMaxAgeDays { get; set; } = 90;

    /// <summary>
    /// PEM certificate (RSA) whose public key encrypts the data-protection key ring; empty: one is made in the data
    /// folder at first start. Keep it, and <see cref="DataProtectionCertificateKey"/>, outside the data folder.
    /// </summary>
    public string DataProtectionCertificate { get; set; } = "";

    /// <summary>PEM private key of <see cref="DataProtectionCertificate"/>.</summary>
    public string DataProtectionCertificateKey { get; set; } = "";

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

        if (LockoutThreshold is < 1 or > 20)
        {
            yield return new ValidationResult("Auth:LockoutThreshold must be between 1 and 20", [nameof(LockoutThreshold)]);
        }

        if (LockoutDuration <= TimeSpan.Zero || LockoutMaxDuration < LockoutDuration)
        {
            yield return new ValidationResult("Auth:LockoutDuration must be positive and Auth:LockoutMaxDuration at least as long", [nameof(LockoutDuration), nameof(LockoutMaxDuration)]);
        }

        if (KeyRingProtection.Problem(this) is { } keyRing)
        {
            yield return new ValidationResult(keyRing, [nameof(DataProtectionCertificate), nameof(DataProtectionCertificateKey)]);
        }

        if (PasswordMinLength is < 12 or > 128)
        {
            yield return new ValidationResult("Auth:PasswordMinLength must be between 12 and 128", [nameof(PasswordMinLength)]);
        }

        if (PasswordMaxAgeDays is < 0 or > 3650)
        {
            yield return new ValidationResult("Auth:PasswordMaxAgeDays must be between 0 (never) and 3650", [nameof(PasswordMaxAgeDays)]);
        }
    }
}
