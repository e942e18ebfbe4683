using System.Text.RegularExpressions;

namespace ServiceHall.Recorder.Cameras;

/// <summary>
/// Credentials in camera URLs: written into the userinfo percent-encoded, read back, and hidden from every text a person
/// or the Console reads (logs, heartbeats, events, start-up errors).
/// </summary>
public static partial class RtspUrl
{
    public const string Hidden = "***";

    /// <summary>
    /// <paramref name="text"/> with the <c>user:password</c> of every URL in it replaced by <c>***</c>, and the value of
    /// any <c>password=</c> query parameter too: a whole ffmpeg command line or error message as much as one URL.
    /// </summary>
    public static string Redact(string text)
    {
        var withoutUserInfo = UserInfoPattern().Replace(text, m => $"{m.Groups["scheme"].Value}{Hidden}@");
        return QueryPasswordPattern().Replace(withoutUserInfo, m => $"{m.Groups["key"].Value}{Hidden}");
    }

    /// <summary><paramref name="url"/> with its userinfo replaced by the percent-encoded <paramref name="username"/> and <paramref name="password"/>.</summary>
    public static string WithCredentials(string url, string username, string? password)
    {
        var (scheme, _, rest) = Split(url);
        var userInfo = password is null
            ? Uri.EscapeDataString(username)
            : $"{Uri.EscapeDataString(username)}:{Uri.EscapeDataString(password)}";
        return $"{scheme}{userInfo}@{rest}";
    }

    /// <summary><paramref name="url"/> without its userinfo.</summary>
    public static string WithoutCredentials(string url)
    {
        var (scheme, _, rest) = Split(url);
        return scheme + rest;
    }

    /// <summary>The userinfo of <paramref name="url"/>, percent-decoded (<c>user:password</c>), or null when it has none.</summary>
    public static string? Credentials(string url)
    {
        var userInfo = Split(url).UserInfo;
        return userInfo is null ? null : Uri.UnescapeDataString(userInfo);
    }

    private static (string Scheme, string? UserInfo, string Remainder) Split(string url)
    {
        var match = UserInfoPattern().Match(url);
        if (match.Success && match.Index == 0)
        {
            return (match.Groups["scheme"].Value, match.Groups["userinfo"].Value, url[match.Length..]);
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        return schemeEnd < 0 ? ("", null, url) : (url[..(schemeEnd + 3)], null, url[(schemeEnd + 3)..]);
    }

    // The userinfo runs up to the last '@' before the authority ends ('/', '?', '#' or white space), so a raw '@' in a
    // password is hidden with the rest of it; quotes belong to it too, because ffmpeg prints inputs as 'url'.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?<userinfo>[^\s/?#]*)@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPattern();

    // Some cameras take credentials as query parameters (…?user=admin&password=…).
    [GeneratedRegex(@"(?<key>[?&;](?:password|passwd|pwd)=)[^&\s'""]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex QueryPasswordPattern();
}
