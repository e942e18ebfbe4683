using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using ServiceHall.Console.Sites;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Auth;

/// <summary>Admits a Recorder that presents a valid, unrevoked key for its site.</summary>
public sealed partial class SiteKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ISiteStore sites) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SiteKey";
    public const string SiteClaim = "servicehall:site";
    public const string KeyIdClaim = "servicehall:key-id";

    /// <summary>The site a Recorder's connection or request was admitted for; null when it is not a Recorder's.</summary>
    public static string? SiteOf(ClaimsPrincipal? recorder) => recorder?.FindFirst(SiteClaim)?.Value;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var siteId = Request.Headers[SiteKeyHeaders.SiteId].ToString();
        var key = Request.Headers[SiteKeyHeaders.Key].ToString();
        if (siteId.Length == 0 && key.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var remote = Context.Connection.RemoteIpAddress?.ToString() ?? "?";
        var keyId = Slug.IsValid(siteId) ? sites.MatchingKeyId(siteId, key) : null;
        if (keyId is null)
        {
            LogRefused(Logger, Slug.IsValid(siteId) ? siteId : "(invalid id)", remote);
            return Task.FromResult(AuthenticateResult.Fail("wrong site or key"));
        }

        var identity = new ClaimsIdentity([new Claim(SiteClaim, siteId), new Claim(KeyIdClaim, keyId), new Claim(ClaimTypes.Name, $"recorder:{siteId}")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused Recorder for site {SiteId} from {Remote}: wrong site or key")]
    private static partial void LogRefused(ILogger logger, string siteId, string remote);
}
