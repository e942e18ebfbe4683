using Microsoft.Extensions.Options;
using ServiceHall.Shared.Contracts;

namespace ServiceHall.Console.Transport;

/// <summary>
/// Cross-site request forgery guard. A state-changing request (POST, PUT, PATCH, DELETE) must carry
/// <see cref="HeaderName"/>: a page of another site can send a form or a simple fetch with the Console's cookie, but not
/// a custom header without a CORS preflight, which the Console never allows. Recorders, authenticated by their hall key
/// in headers of their own (no cookie), are exempt. A request that names an <c>Origin</c> must name the Console's own
/// (or one of <see cref="NetworkOptions.AllowedOrigins"/>); on the hubs this holds for every request, the WebSocket
/// upgrade and negotiate included, since SameSite alone does not stop a hostile page on a sibling host.
/// </summary>
public static partial class RequestForgery
{
    public const string HeaderName = "X-ServiceHall-Request";

    public static IApplicationBuilder UseRequestForgeryGuard(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<NetworkOptions>>().Value;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestForgery));
        return app.Use((context, next) =>
        {
            var request = context.Request;
            var problem = Check(request.Method, request.Path, request.Headers, $"{request.Scheme}://{request.Host}", options.AllowedOrigins);
            if (problem is null)
            {
                return next(context);
            }

            LogRefused(logger, request.Method, request.Path.Value ?? "", problem);
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused").ExecuteAsync(context);
        });
    }

    /// <summary>Why the request is refused as possibly forged, or null when it may go on. Pure, so the rule reads in one place.</summary>
    public static string? Check(string method, PathString path, IHeaderDictionary headers, string ownOrigin, IReadOnlyCollection<string> allowedOrigins)
    {
        var hub = path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase);
        var changesState = HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);
        if ((hub || changesState) && headers.Origin.ToString() is { Length: > 0 } origin
            && !string.Equals(origin, ownOrigin, StringComparison.OrdinalIgnoreCase)
            && !allowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return $"origin {origin} is not allowed";
        }

        // Hub calls are guarded by the origin alone: the browser's SignalR client cannot add headers to a WebSocket.
        if (!changesState || hub || headers.ContainsKey(SiteKeyHeaders.Key))
        {
            return null;
        }

        return headers[HeaderName] == "1" ? null : $"a state-changing request must carry the header {HeaderName}: 1";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} as a possible cross-site request: {Problem}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string problem);
}
