using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;

namespace ServiceHall.Recorder.Cameras;

/// <summary>One media profile of a device: its token, name, video codec and resolution.</summary>
public sealed record MediaProfile(string Token, string Name, string Encoding, int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>A profile and the rtsp:// URI of its stream (without credentials).</summary>
public sealed record ProfileStream(MediaProfile Profile, string Uri);

/// <summary>A device's main stream (its highest-resolution profile) and sub stream (its lowest, when lower than the main).</summary>
public sealed record DeviceStreams(ProfileStream Main, ProfileStream? Sub);

/// <summary>
/// The few SOAP calls that find an ONVIF device's streams (ONVIF Core and Media specifications): its clock
/// (GetSystemDateAndTime, so the UsernameToken is dated on the device's time), its media service (GetServices), its
/// profiles (GetProfiles) and each chosen profile's RTSP URI (GetStreamUri, RTP-Unicast over RTSP).
/// </summary>
public sealed class OnvifDevice(HttpClient http, Uri deviceService, string? user, string? password, TimeProvider time)
{
    // The device's clock minus ours: devices reject a UsernameToken created too far from their own time.
    private TimeSpan _clockOffset;

    /// <summary>The device service's address on <paramref name="hostAndPort"/> (HOST, HOST:PORT, [IPv6]:PORT), or a whole http(s):// address as discovery prints it.</summary>
    public static Uri? DeviceServiceAddress(string hostAndPort)
    {
        var text = hostAndPort.Contains("://", StringComparison.Ordinal) ? hostAndPort : $"http://{hostAndPort}";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        // The device service's path is fixed by ONVIF Core ("Services overview").
        return uri.AbsolutePath is "/" or "" ? new Uri(uri, "/onvif/device_service") : uri;
    }

    public async Task<DeviceStreams> StreamsAsync(CancellationToken ct)
    {
        await ReadClockAsync(ct);
        var media = await MediaServiceAsync(ct);
        var profiles = (await ProfilesAsync(media, ct)).OrderByDescending(p => p.Pixels).ToList();
        if (profiles.Count == 0)
        {
            throw new OnvifException($"{media} lists no media profile with video");
        }

        var main = new ProfileStream(profiles[0], await StreamUriAsync(media, profiles[0], ct));
        var lowest = profiles[^1];
        var sub = lowest.Pixels < profiles[0].Pixels ? new ProfileStream(lowest, await StreamUriAsync(media, lowest, ct)) : null;
        return new DeviceStreams(main, sub);
    }

    private async Task ReadClockAsync(CancellationToken ct)
    {
        try
        {
            var answer = await CallAsync(deviceService, new XElement(OnvifXml.Device + "GetSystemDateAndTime"), authenticate: false, ct);
            if (answer.Descendants(OnvifXml.Schema + "UTCDateTime").FirstOrDefault() is { } utc && DeviceTime(utc) is { } deviceNow)
            {
                _clockOffset = deviceNow - time.GetUtcNow();
            }
        }
        catch (OnvifException ex) when (ex is OnvifAuthenticationException or OnvifFaultException)
        {
            // Some devices want credentials even for their clock; the token is then dated on ours.
        }
    }

    private async Task<Uri> MediaServiceAsync(CancellationToken ct)
    {
        var request = new XElement(OnvifXml.Device + "GetServices", new XElement(OnvifXml.Device + "IncludeCapability", "false"));
        var answer = await CallAsync(deviceService, request, authenticate: true, ct);
        var address = answer.Elements(OnvifXml.Device + "Service")
            .Where(s => s.Element(OnvifXml.Device + "Namespace")?.Value.Trim() == OnvifXml.Media.NamespaceName)
            .Select(s => s.Element(OnvifXml.Device + "XAddr")?.Value.Trim())
            .FirstOrDefault();
        if (!Uri.TryCreate(address, UriKind.Absolute, out var media))
        {
            throw new OnvifException($"{deviceService} lists no media service (GetServices has no {OnvifXml.Media.NamespaceName})");
        }

        // A device reports the address it has on its own network; behind a NAT or a port forward only the address the
        // installer gave reaches it (ONVIF Core, GetServices), so only the path of the reported one is kept.
        return new UriBuilder(media) { Scheme = deviceService.Scheme, Host = deviceService.Host, Port = deviceService.Port }.Uri;
    }

    private async Task<IReadOnlyList<MediaProfile>> ProfilesAsync(Uri media, CancellationToken ct)
    {
        var answer = await CallAsync(media, new XElement(OnvifXml.Media + "GetProfiles"), authenticate: true, ct);
        return
        [
            .. from profile in answer.Elements(OnvifXml.Media + "Profiles")
               let encoder = profile.Element(OnvifXml.Schema + "VideoEncoderConfiguration")
               let resolution = encoder?.Element(OnvifXml.Schema + "Resolution")
               where resolution is not null
               select new MediaProfile(
                   (string?)profile.Attribute("token") ?? "",
                   profile.Element(OnvifXml.Schema + "Name")?.Value.Trim() ?? "",
                   encoder.Element(OnvifXml.Schema + "Encoding")?.Value.Trim() ?? "",
                   Number(resolution.Element(OnvifXml.Schema + "Width")),
                   Number(resolution.Element(OnvifXml.Schema + "Height"))),
        ];
    }

    private async Task<string> StreamUriAsync(Uri media, MediaProfile profile, CancellationToken ct)
    {
        var request = new XElement(OnvifXml.Media + "GetStreamUri",
            new XElement(OnvifXml.Media + "StreamSetup",
                new XElement(OnvifXml.Schema + "Stream", "RTP-Unicast"),
                new XElement(OnvifXml.Schema + "Transport", new XElement(OnvifXml.Schema + "Protocol", "RTSP"))),
            new XElement(OnvifXml.Media + "ProfileToken", profile.Token));
        var answer = await CallAsync(media, request, authenticate: true, ct);
        var uri = answer.Descendants(OnvifXml.Schema + "Uri").FirstOrDefault()?.Value.Trim();
        if (uri is null || !uri.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase))
        {
            throw new OnvifException($"{media} gave no rtsp:// URI for profile '{profile.Token}' (got '{RtspUrl.Redact(uri ?? "")}')");
        }

        return RtspUrl.WithoutCredentials(uri);
    }

    /// <summary>Posts <paramref name="request"/> to <paramref name="service"/> and returns the <c>…Response</c> element of its answer.</summary>
    private async Task<XElement> CallAsync(Uri service, XElement request, bool authenticate, CancellationToken ct)
    {
        var header = authenticate && user is not null
            ? new[] { WsUsernameToken.Header(user, password ?? "", time.GetUtcNow() + _clockOffset) }
            : [];
        var envelope = OnvifXml.Envelope(request, header);
        using var content = new StringContent($"{envelope.Declaration}{envelope.ToString(SaveOptions.DisableFormatting)}", Encoding.UTF8, "application/soap+xml");
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(service, content, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new OnvifException($"cannot reach {service}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new OnvifException($"{service} did not answer within {http.Timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var operation = request.Name.LocalName;
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw AuthenticationFailed(service, operation, "HTTP 401");
            }

            var text = await response.Content.ReadAsStringAsync(ct);
            XElement body;
            try
            {
                body = OnvifXml.Body(text, service.ToString());
            }
            catch (OnvifException) when (!response.IsSuccessStatusCode)
            {
                throw new OnvifException($"{service} answered {operation} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}, not as an ONVIF device");
            }

            if (OnvifXml.Fault(body) is { } fault)
            {
                // ONVIF Core, "Generic faults": env:Sender / ter:NotAuthorized, "Sender not Authorized".
                if (fault.Codes.Any(c => c.EndsWith("NotAuthorized", StringComparison.Ordinal)) || fault.Reason.Contains("not authorized", StringComparison.OrdinalIgnoreCase))
                {
                    throw AuthenticationFailed(service, operation, fault.Reason);
                }

                throw new OnvifFaultException($"{service} refused {operation}: {fault.Reason} ({string.Join(", ", fault.Codes)})");
            }

            return body.Element(request.Name.Namespace + $"{operation}Response")
                ?? throw new OnvifException($"{service} answered {operation} without a {operation}Response");
        }
    }

    private OnvifAuthenticationException AuthenticationFailed(Uri service, string operation, string why) =>
        new($"authentication failed: {service} refused {operation} for user '{user}' ({why}); check the user name and password, and that the camera's clock is right");

    private static DateTimeOffset? DeviceTime(XElement utc)
    {
        int Part(string group, string name) => Number(utc.Element(OnvifXml.Schema + group)?.Element(OnvifXml.Schema + name));
        try
        {
            return new DateTimeOffset(Part("Date", "Year"), Part("Date", "Month"), Part("Date", "Day"), Part("Time", "Hour"), Part("Time", "Minute"), Part("Time", "Second"), TimeSpan.Zero);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static int Number(XElement? element) =>
        int.TryParse(element?.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
