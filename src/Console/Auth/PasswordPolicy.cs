using Microsoft.Extensions.Options;

namespace ServiceHall.Console.Auth;

/// <summary>
/// What a chosen password must be: at least <see cref="AuthOptions.PasswordMinLength"/> characters of at least three
/// classes (lower case, upper case, digits, other), none of the user's last <see cref="RecentPasswords"/> passwords;
/// and how old it may grow (<see cref="AuthOptions.PasswordMaxAgeDays"/>) before the next sign-in must change it.
/// </summary>
public sealed class PasswordPolicy(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>How many of a user's passwords, the current one included, may not be chosen again.</summary>
    public const int RecentPasswords = 5;

    public const int MinClasses = 3;

    /// <summary>Why <paramref name="password"/> may not be chosen, in both languages; null when it may.</summary>
    public string? Weakness(string password)
    {
        var minLength = options.Value.PasswordMinLength;
        if (password.Length < minLength || password.Length > 256 || Classes(password) < MinClasses)
        {
            return $"密码须至少 {minLength} 位，包含大写字母、小写字母、数字、符号中的至少 {MinClasses} 类 / "
                + $"a password needs {minLength}+ characters from at least {MinClasses} of: upper case, lower case, digits, symbols";
        }

        return null;
    }

    /// <summary>Whether the password of <paramref name="user"/> is older than the configured maximum age.</summary>
    public bool IsExpired(UserRecord user)
    {
        var maxAgeDays = options.Value.PasswordMaxAgeDays;
        // Users stored before passwords carried a date count from their creation.
        return maxAgeDays > 0 && time.GetUtcNow() - (user.PasswordChangedAt ?? user.CreatedAt) > TimeSpan.FromDays(maxAgeDays);
    }

    /// <summary>Whether the user must choose a new password before using anything but the password change.</summary>
    public bool MustChange(UserRecord user) => user.MustChangePassword || IsExpired(user);

    public static int Classes(string password) =>
        (password.Any(char.IsLower) ? 1 : 0)
        + (password.Any(char.IsUpper) ? 1 : 0)
        + (password.Any(char.IsDigit) ? 1 : 0)
        + (password.Any(c => !char.IsLower(c) && !char.IsUpper(c) && !char.IsDigit(c)) ? 1 : 0);
}
