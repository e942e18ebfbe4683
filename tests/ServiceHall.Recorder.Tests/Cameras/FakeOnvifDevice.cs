using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServiceHall.Recorder.Tests.Cameras;

/// <summary>What the fake device answers instead of its normal SOAP: a status, a content type and a body.</summary>
public sealed record RawAnswer(int Status, string ContentType, string Body);

/// <summary>
/// The SOAP side of an ONVIF camera on real Kestrel at 127.0.0.1: GetSystemDateAndTime (no credentials needed),
/// GetServices, GetProfiles and GetStreamUri, shaped like the examples and schema of the ONVIF Core and Media
/// specifications, with the WS-UsernameToken digest and its creation time checked the way a device does.
/// </summary>
public sealed class FakeOnvifDevice : IAsyncDisposable
{
    public const string User = "admin";

    // Its clock runs two hours ahead: a token dated on the caller's clock would be refused.
    public static readonly TimeSpan ClockOffset = TimeSpan.FromHours(2);

    private static readonly XNamespace Env = "http://www.w3.org/2003/05/soap-envelope";
    private static readonly XNamespace Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static readonly XNamespace Wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

    private readonly WebApplication _app;
    private readonly string _password;
    private readonly Func<string, RawAnswer?> _override;

    private FakeOnvifDevice(WebApplication app, string password, Func<string, RawAnswer?> answerOverride)
    {
        _app = app;
        _password = password;
        _override = answerOverride;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Each call as "operation authenticated|anonymous|refused".</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Starts a device whose user <see cref="User"/> has <paramref name="password"/>; <paramref name="answerOverride"/> may replace the answer to an operation.</summary>
    public static async Task<FakeOnvifDevice> StartAsync(string password, Func<string, RawAnswer?>? answerOverride = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var device = new FakeOnvifDevice(app, password, answerOverride ?? (_ => null));
        app.MapPost("/onvif/device_service", device.AnswerAsync);
        app.MapPost("/onvif/Media", device.AnswerAsync);
        await app.StartAsync();
        device.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return device;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var request = XDocument.Parse(await reader.ReadToEndAsync());
        var operation = request.Root!.Element(Env + "Body")!.Elements().First().Name.LocalName;
        var (status, contentType, body) = _override(operation) ?? Answer(request, operation);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body);
    }

    private RawAnswer Answer(XDocument request, string operation)
    {
        if (operation == "GetSystemDateAndTime")
        {
            Calls.Enqueue($"{operation} anonymous");
            return Soap(SystemDateAndTime(DateTimeOffset.UtcNow + ClockOffset));
        }

        if (!Authorized(request))
        {
            Calls.Enqueue($"{operation} refused");
            // ONVIF Core, "Authentication over HTTP and HTTPS": a refused UsernameToken is HTTP 400 with env:Sender / ter:NotAuthorized.
            return new RawAnswer(400, "application/soap+xml; charset=utf-8", NotAuthorized);
        }

        Calls.Enqueue($"{operation} authenticated");
        var profileToken = request.Descendants().FirstOrDefault(e => e.Name.LocalName == "ProfileToken")?.Value;
        return operation switch
        {
            "GetServices" => Soap(Services),
            "GetProfiles" => Soap(Profiles),
            "GetStreamUri" => Soap(StreamUri(profileToken!)),
            _ => throw new InvalidOperationException($"the fake device does not serve {operation}"),
        };
    }

    /// <summary>The UsernameToken profile's check: same user, Base64(SHA-1(nonce + created + password)), created within 5 s of the device's clock.</summary>
    private bool Authorized(XDocument request)
    {
        var token = request.Descendants(Wsse + "UsernameToken").SingleOrDefault();
        if (token is null || token.Element(Wsse + "Username")?.Value != User)
        {
            return false;
        }

        var created = token.Element(Wsu + "Created")!.Value;
        var nonce = Convert.FromBase64String(token.Element(Wsse + "Nonce")!.Value);
#pragma warning disable CA5350 // The UsernameToken Profile's digest is SHA-1.
        var digest = Convert.ToBase64String(SHA1.HashData([.. nonce, .. Encoding.UTF8.GetBytes(created + _password)]));
#pragma warning restore CA5350
        var skew = DateTimeOffset.Parse(created, CultureInfo.InvariantCulture) - (DateTimeOffset.UtcNow + ClockOffset);
        return token.Element(Wsse + "Password")?.Value == digest
            && token.Element(Wsse + "Password")?.Attribute("Type")?.Value.EndsWith("#PasswordDigest", StringComparison.Ordinal) == true
            && skew.Duration() < TimeSpan.FromSeconds(5);
    }

    private static RawAnswer Soap(string body) => new(200, "application/soap+xml; charset=utf-8", $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"
            xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">
          <env:Header/>
          <env:Body>{body}</env:Body>
        </env:Envelope>
        """);

    // The fault of ONVIF Core's example SOAP 1.2 fault message, with the codes and reason of "Generic faults".
    private const string NotAuthorized = """
        <?xml version="1.0" encoding="UTF-8"?>
        <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error">
          <env:Body>
            <env:Fault>
              <env:Code>
                <env:Value>env:Sender</env:Value>
                <env:Subcode><env:Value>ter:NotAuthorized</env:Value></env:Subcode>
              </env:Code>
              <env:Reason><env:Text xml:lang="en">Sender not Authorized</env:Text></env:Reason>
            </env:Fault>
          </env:Body>
        </env:Envelope>
        """;

    private static string SystemDateAndTime(DateTimeOffset now) => string.Create(CultureInfo.InvariantCulture, $"""
        <tds:GetSystemDateAndTimeResponse>
          <tds:SystemDateAndTime>
            <tt:DateTimeType>NTP</tt:DateTimeType>
            <tt:DaylightSavings>false</tt:DaylightSavings>
            <tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone>
            <tt:UTCDateTime>
              <tt:Time><tt:Hour>{now.Hour}</tt:Hour><tt:Minute>{now.Minute}</tt:Minute><tt:Second>{now.Second}</tt:Second></tt:Time>
              <tt:Date><tt:Year>{now.Year}</tt:Year><tt:Month>{now.Month}</tt:Month><tt:Day>{now.Day}</tt:Day></tt:Date>
            </tt:UTCDateTime>
          </tds:SystemDateAndTime>
        </tds:GetSystemDateAndTimeResponse>
        """);

    // As in ONVIF Core's "Example for GetServices Response": the device reports its own LAN address, not 127.0.0.1.
    private const string Services = """
        <tds:GetServicesResponse>
          <tds:Service>
            <tds:Namespace>http://www.onvif.org/ver10/device/wsdl</tds:Namespace>
            <tds:XAddr>http://192.168.0.10/onvif/device_service</tds:XAddr>
            <tds:Version><tt:Major>2</tt:Major><tt:Minor>20</tt:Minor></tds:Version>
          </tds:Service>
          <tds:Service>
            <tds:Namespace>http://www.onvif.org/ver10/media/wsdl</tds:Namespace>
            <tds:XAddr>http://192.168.0.10/onvif/Media</tds:XAddr>
            <tds:Version><tt:Major>2</tt:Major><tt:Minor>20</tt:Minor></tds:Version>
          </tds:Service>
        </tds:GetServicesResponse>
        """;

    // The sub stream first and an audio-only profile between: the client must choose by resolution, not by order.
    private static readonly string Profiles = $"""
        <trt:GetProfilesResponse>
          {VideoProfile("Profile_2", "subStream", 640, 360, 512)}
          <trt:Profiles token="Profile_Audio" fixed="false">
            <tt:Name>audioOnly</tt:Name>
          </trt:Profiles>
          {VideoProfile("Profile_1", "mainStream", 1920, 1080, 4096)}
        </trt:GetProfilesResponse>
        """;

    /// <summary>A media profile as in onvif.xsd (tt:Profile): a video source and an H.264 encoder at the given resolution and bitrate.</summary>
    private static string VideoProfile(string token, string name, int width, int height, int kbps) => $"""
        <trt:Profiles token="{token}" fixed="true">
          <tt:Name>{name}</tt:Name>
          <tt:VideoSourceConfiguration token="VideoSourceToken">
            <tt:Name>VideoSourceConfig</tt:Name><tt:UseCount>3</tt:UseCount><tt:SourceToken>VideoSource_1</tt:SourceToken>
            <tt:Bounds x="0" y="0" width="1920" height="1080"/>
          </tt:VideoSourceConfiguration>
          <tt:VideoEncoderConfiguration token="VideoEncoderToken_{token}">
            <tt:Name>VideoEncoder_{token}</tt:Name><tt:UseCount>1</tt:UseCount>
            <tt:Encoding>H264</tt:Encoding>
            <tt:Resolution><tt:Width>{width}</tt:Width><tt:Height>{height}</tt:Height></tt:Resolution>
            <tt:Quality>3</tt:Quality>
            <tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>{kbps}</tt:BitrateLimit></tt:RateControl>
            <tt:H264><tt:GovLength>50</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>
            <tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>8860</tt:Port><tt:TTL>128</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>
            <tt:SessionTimeout>PT5S</tt:SessionTimeout>
          </tt:VideoEncoderConfiguration>
        </trt:Profiles>
        """;

    /// <summary>The stream URI of a profile, with the invalid-after flags and timeout the Media specification prescribes.</summary>
    public static string StreamUriOf(string profileToken) => profileToken switch
    {
        "Profile_1" => "rtsp://192.168.0.10:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1",
        "Profile_2" => "rtsp://192.168.0.10:554/Streaming/Channels/102?transportmode=unicast&profile=Profile_2",
        _ => throw new InvalidOperationException($"no profile {profileToken}"),
    };

    private static string StreamUri(string profileToken) => $"""
        <trt:GetStreamUriResponse>
          <trt:MediaUri>
            <tt:Uri>{new XText(StreamUriOf(profileToken))}</tt:Uri>
            <tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>
            <tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>
            <tt:Timeout>PT0S</tt:Timeout>
          </trt:MediaUri>
        </trt:GetStreamUriResponse>
        """;
}
