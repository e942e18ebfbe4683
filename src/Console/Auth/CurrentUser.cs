using System.Security.Claims;
using ServiceHall.Console.Sites;

namespace ServiceHall.Console.Auth;

/// <summary>
/// The signed-in user of a request or hub call, and the sites they may see: an Admin every site, a Supervisor or
/// Viewer those of their districts. The user is read from the store (once per request) rather than from the cookie,
/// so a change of role or districts applies at the next request. Endpoints take it as a service; hubs build one
/// from their connection's user.
/// </summary>
public sealed class CurrentUser(ClaimsPrincipal? principal, IUserStore users, ISiteStore sites)
{
    private readonly Lazy<UserRecord?> _record = new(() => users.Find(principal?.Identity?.Name ?? ""));

    /// <summary>The id the session was signed in with; authorization admits no request without one.</summary>
    public string Name => principal?.Identity?.Name ?? "?";

    /// <summary>The user as stored now; null when the signed-in id no longer exists.</summary>
    public UserRecord? Record => _record.Value;

    /// <summary>The user's role now; null for an unknown user.</summary>
    public string? Role => Record?.Role;

    /// <summary>The districts whose sites a Supervisor or Viewer may see (an Admin sees every site whatever these are).</summary>
    public IReadOnlyList<string> Districts => Record?.Districts ?? [];

    /// <summary>Whether the user may see the site; false for a site that does not exist, so both answer alike.</summary>
    public bool MaySee(string siteId) => Record is { } user && sites.Find(siteId) is { } site && user.MaySee(site.District);

    /// <summary>Whether the user may see the sites of a district.</summary>
    public bool MaySeeDistrict(string district) => Record is { } user && user.MaySee(district);

    /// <summary>The ids of the sites the user may see (empty for an unknown user).</summary>
    public IReadOnlySet<string> SiteIds() =>
        Record is { } user
            ? sites.All().Where(s => user.MaySee(s.District)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
}
