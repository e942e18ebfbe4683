using Microsoft.AspNetCore.Http.HttpResults;
using ServiceHall.Console.Audit;
using ServiceHall.Console.Auth;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Admin;

/// <summary>
/// Admin-only REST under <c>/api/admin</c>: sites, their keys (shown once, stored hashed, revocable), users, the audit
/// log. Its own folder because it reaches into Sites, Auth and Audit, which must not import each other back.
/// </summary>
public static class AdminEndpoints
{
    public sealed record SiteRequest(string Id, string Name, string District, string? TimeZone);

    public sealed record KeyIssued(string SiteId, string KeyId, string Key);

    public sealed record KeyView(string KeyId, DateTimeOffset IssuedAt, DateTimeOffset? RevokedAt);

    public sealed record UserRequest(string DisplayName, string Role, IReadOnlyList<string>? Districts, string? Password);

    public sealed record UserView(string Id, string DisplayName, string Role, IReadOnlyList<string> Districts, bool MustChangePassword, bool Disabled);

    public sealed record DisabledRequest(bool Disabled);

    public sealed record AuditView(int Id, DateTimeOffset At, string Actor, string Action, string Target, string? Detail, string PreviousHash, string Hash);

    /// <summary>The most entries one page of the audit log holds.</summary>
    public const int MaxAuditPage = 500;

    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").RequireAuthorization(Policies.Admin);
        admin.MapPut("/sites/{siteId}", Results<Ok<SiteRequest>, ProblemHttpResult> (string siteId, SiteRequest request, ISiteStore sites, AuditLog audit, CurrentUser user) =>
        {
            if (!Slug.IsValid(siteId) || request.Id != siteId || string.IsNullOrWhiteSpace(request.District) || request.Name.Length > 200 || request.District.Length > 100)
            {
                return TypedResults.Problem("site id must be a slug matching the path; name (≤200) and district (≤100) are required", statusCode: StatusCodes.Status400BadRequest);
            }

            if (request.TimeZone is { } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            {
                return TypedResults.Problem($"unknown time zone '{zone}'", statusCode: StatusCodes.Status400BadRequest);
            }

            var site = sites.Upsert(siteId, request.Name, request.District, request.TimeZone ?? "Asia/Shanghai");
            audit.Append(user.Name, AuditActions.SiteSaved, $"site:{siteId}", $"{site.Name} / {site.District}");
            return TypedResults.Ok(new SiteRequest(site.Id, site.Name, site.District, site.TimeZone));
        }).WithSummary("Create or rename a site");

        admin.MapGet("/sites/{siteId}/keys", Results<Ok<IEnumerable<KeyView>>, NotFound> (string siteId, ISiteStore sites) =>
            sites.Find(siteId) is { } site ? TypedResults.Ok(site.Keys.Select(k => new KeyView(k.KeyId, k.IssuedAt, k.RevokedAt))) : TypedResults.NotFound())
            .WithSummary("A site's keys (ids and dates only; keys are never shown again)");

        admin.MapPost("/sites/{siteId}/keys", Results<Ok<KeyIssued>, NotFound> (string siteId, bool? revokeOthers, ISiteStore sites, AuditLog audit, CurrentUser user) =>
        {
            if (sites.Find(siteId) is null)
            {
                return TypedResults.NotFound();
            }

            var key = sites.IssueKey(siteId, revokeOthers ?? false);
            var keyId = sites.Find(siteId)!.Keys[^1].KeyId;
            audit.Append(user.Name, AuditActions.SiteKeyIssued, $"site:{siteId}", $"key {keyId}{(revokeOthers == true ? ", others revoked" : "")}");
            return TypedResults.Ok(new KeyIssued(siteId, keyId, key));
        }).WithSummary("Issue a site key; the response is the only time it is shown");

        admin.MapDelete("/sites/{siteId}/keys/{keyId}", Results<NoContent, NotFound> (string siteId, string keyId, ISiteStore sites, AuditLog audit, CurrentUser user) =>
        {
            if (!sites.RevokeKey(siteId, keyId))
            {
                return TypedResults.NotFound();
            }

            audit.Append(user.Name, AuditActions.SiteKeyRevoked, $"site:{siteId}", $"key {keyId}");
            return TypedResults.NoContent();
        }).WithSummary("Revoke a site key; the Recorder using it is refused at its next connect");

        admin.MapGet("/users", (IUserStore users) => TypedResults.Ok(users.All().Select(View))).WithSummary("All users");

        admin.MapPut("/users/{userId}", Results<Ok<UserView>, ProblemHttpResult> (string userId, UserRequest request, IUserStore users, PasswordPolicy policy, AuditLog audit, CurrentUser user) =>
        {
            if (!Slug.IsValid(userId) || !Roles.IsKnown(request.Role) || request.DisplayName.Length > 100 || (request.Districts?.Any(d => d.Length is 0 or > 100) ?? false))
            {
                return TypedResults.Problem("user id must be a slug, role Admin, Supervisor or Viewer, districts non-empty names", statusCode: StatusCodes.Status400BadRequest);
            }

            var existing = users.Find(userId);
            if (existing is null)
            {
                if (request.Password is not { } initial || policy.Weakness(initial) is not null)
                {
                    return TypedResults.Problem("a new user needs an initial password: " + policy.Weakness(request.Password ?? ""), statusCode: StatusCodes.Status400BadRequest);
                }

                try
                {
                    existing = users.Create(userId, request.DisplayName, request.Role, request.Password, mustChangePassword: true, request.Districts);
                }
                catch (UserExistsException ex)
                {
                    // Created a moment ago by another request, perhaps through another node: nothing is overwritten.
                    return TypedResults.Problem($"{ex.Message}: reload the list and edit it", statusCode: StatusCodes.Status409Conflict);
                }
            }
            else
            {
                users.UpdateAccess(existing, request.DisplayName, request.Role, request.Districts ?? []);
            }

            audit.Append(user.Name, AuditActions.UserSaved, $"user:{userId}", $"{existing.Role}: {string.Join(",", existing.Districts)}");
            return TypedResults.Ok(View(existing));
        }).WithSummary("Create a user (with a forced password change) or change role and districts");

        admin.MapPut("/users/{userId}/disabled", Results<Ok<UserView>, NotFound, ProblemHttpResult> (string userId, DisabledRequest request, IUserStore users, AuditLog audit, CurrentUser user) =>
        {
            if (users.Find(userId) is not { } target)
            {
                return TypedResults.NotFound();
            }

            if (target.Id == user.Name && request.Disabled)
            {
                // An admin who disables herself may leave no admin able to undo it.
                return TypedResults.Problem("不能停用自己 / you cannot disable yourself", statusCode: StatusCodes.Status400BadRequest);
            }

            users.SetDisabled(target, request.Disabled);
            audit.Append(user.Name, request.Disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, $"user:{userId}");
            return TypedResults.Ok(View(target));
        }).WithSummary("Disable a user (they cannot sign in; their sessions and monitor connections end at once) or enable them again");

        admin.MapGet("/audit", Results<Ok<IEnumerable<AuditView>>, ProblemHttpResult> (int? before, int? limit, AuditLog audit) =>
        {
            if (limit is < 1 or > MaxAuditPage || before is < 1)
            {
                return TypedResults.Problem($"limit must be 1 to {MaxAuditPage}, before a positive entry id", statusCode: StatusCodes.Status400BadRequest);
            }

            return TypedResults.Ok(audit.Page(before, limit ?? 200).Select(e => new AuditView(e.Id, e.At, e.Actor, e.Action, e.Target, e.Detail, e.PreviousHash, e.Hash)));
        }).WithSummary("The audit log, newest first, a page at a time: the next page is before = the smallest id of this one; an empty page is the end");

        admin.MapGet("/audit/verify", (AuditLog audit) => TypedResults.Ok(audit.Verify()))
            .WithSummary("Checks the audit log's hash chain and names the first entry that was changed or removed");
        return app;
    }

    private static UserView View(UserRecord user) => new(user.Id, user.DisplayName, user.Role, user.Districts, user.MustChangePassword, user.Disabled);
}
