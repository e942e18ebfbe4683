using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using ServiceHall.Shared.Configuration;

namespace ServiceHall.Console.Transport;

/// <summary>
/// TLS on every link: the Console serves HTTPS (Kestrel with a configured certificate) or sits behind TLS proxies it
/// knows by address. Plain HTTP is served to loopback only (a local proxy, a health probe); HSTS tells browsers to
/// come back over HTTPS only.
/// </summary>
public static class TransportSecurity
{
    public static WebApplicationBuilder AddTransport(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSection<NetworkOptions>(builder.Configuration, NetworkOptions.Section);
        var network = builder.Configuration.GetSection(NetworkOptions.Section).Get<NetworkOptions>() ?? new NetworkOptions();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults believe loopback; here only the listed proxies are believed, and only one hop of them.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            forwarded.ForwardLimit = 1;
            foreach (var proxy in network.KnownProxies.Where(p => IPAddress.TryParse(p, out _)))
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = network.HstsMaxAge;
            // The defaults exempt localhost; a city that reaches its Console by loopback name still wants HSTS.
            hsts.ExcludedHosts.Clear();
        });
        return builder;
    }

    /// <summary>Refuses to start on plain HTTP beyond loopback without a known proxy, then adds forwarded headers, HSTS and the plain-HTTP guard.</summary>
    public static WebApplication UseTransport(this WebApplication app)
    {
        var network = app.Services.GetRequiredService<IOptions<NetworkOptions>>().Value;
        var problems = PlainHttpExposures(ConfiguredUrls(app.Configuration), network.KnownProxies.Count > 0).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(NetworkOptions.Section, typeof(NetworkOptions), problems);
        }

        // With no known proxy the middleware must not run at all: with both of its lists empty it believes the
        // forwarded headers of every client, so anyone could pick the address the sign-in limit counts by.
        if (network.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }
        app.UseHsts();
        app.Use((context, next) =>
        {
            if (!context.Request.IsHttps && !IsLoopback(context.Connection.RemoteIpAddress))
            {
                // Reached past the proxy over plain HTTP: nothing is served, no cookie or key is read.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsync("HTTPS required");
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The Console's listening URLs from <c>Urls</c> and <c>Kestrel:Endpoints:*:Url</c>.</summary>
    public static IEnumerable<string> ConfiguredUrls(IConfiguration configuration)
    {
        var urls = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>();
        return urls.Concat(endpoints);
    }

    /// <summary>Each URL that would serve plain HTTP beyond loopback, as a message naming the fix; none when proxies are known.</summary>
    public static IEnumerable<string> PlainHttpExposures(IEnumerable<string> urls, bool behindKnownProxies)
    {
        if (behindKnownProxies)
        {
            yield break;
        }

        foreach (var url in urls)
        {
            if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopbackUrl(url))
            {
                yield return $"Urls: '{url}' would serve sign-ins, site keys and video in clear beyond loopback: listen on https:// "
                    + "with Kestrel:Certificates:Default:Path and KeyPath, or put a TLS proxy in front and list its address in Network:KnownProxies.";
            }
        }
    }

    private static bool IsLoopbackUrl(string url)
    {
        // Kestrel accepts wildcard hosts (*, +) that Uri does not parse; they listen on every interface.
        var host = url["http://".Length..].Split('/')[0];
        host = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}
