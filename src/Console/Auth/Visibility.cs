using System.Security.Claims;
using ServiceHall.Console.Fleet;

namespace ServiceHall.Console.Auth;

/// <summary>Which sites the signed-in user may see: an Admin all, a Supervisor or Viewer those of their districts.</summary>
public sealed class Visibility(UserStore users, SiteStore sites)
{
    public const string SupervisorPolicy = "supervisor";
    public const string AdminPolicy = "admin";

    public UserRecord? User(ClaimsPrincipal principal) => users.Find(principal.Identity?.Name ?? "");

    /// <summary>The ids of the sites the user may see (empty for an unknown user).</summary>
    public IReadOnlySet<string> SiteIds(ClaimsPrincipal principal)
    {
        var user = User(principal);
        return user is null
            ? new HashSet<string>()
            : sites.All().Where(s => user.MaySee(s.District)).Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
    }

    public bool MaySee(ClaimsPrincipal principal, string siteId) =>
        User(principal) is { } user && sites.Find(siteId) is { } site && user.MaySee(site.District);
}
