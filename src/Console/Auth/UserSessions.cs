using System.Globalization;
using System.Security.Claims;

namespace ServiceHall.Console.Auth;

/// <summary>
/// The one check of "is this session still good": its user exists and is enabled, its security stamp is the user's
/// current one (so a change of role, districts or password, or disabling, ends it), and it is younger than
/// <see cref="AuthOptions.SessionAbsoluteLifetime"/> however active it was. Cookie requests and monitor hub calls both ask it.
/// </summary>
public static class UserSessions
{
    public const string StampClaim = "servicehall:stamp";
    public const string SignedInAtClaim = "servicehall:signed-in-at";

    /// <summary>The claims a new session of <paramref name="user"/> carries besides name and role.</summary>
    public static IEnumerable<Claim> SessionClaims(UserRecord user, DateTimeOffset now) =>
    [
        new(StampClaim, user.SecurityStamp),
        new(SignedInAtClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
    ];

    /// <summary>Whether the session of <paramref name="principal"/> may go on; <paramref name="user"/> is the stored user of its name.</summary>
    public static bool IsCurrent(ClaimsPrincipal principal, UserRecord? user, TimeSpan absoluteLifetime, DateTimeOffset now) =>
        user is { Disabled: false }
        && principal.FindFirst(StampClaim)?.Value == user.SecurityStamp
        && long.TryParse(principal.FindFirst(SignedInAtClaim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var signedInAt)
        && now - DateTimeOffset.FromUnixTimeSeconds(signedInAt) < absoluteLifetime;
}
