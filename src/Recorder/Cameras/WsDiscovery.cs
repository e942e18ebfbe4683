using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;

namespace ServiceHall.Recorder.Cameras;

/// <summary>A device that answered a WS-Discovery probe: its endpoint reference, device service addresses and scopes.</summary>
public sealed record DiscoveredDevice(string Endpoint, IReadOnlyList<string> XAddrs, IReadOnlyList<string> Scopes, IPEndPoint From)
{
    /// <summary>The <c>name</c> scope (ONVIF Core, "Scopes"), e.g. <c>onvif://www.onvif.org/name/HIKVISION%20DS-2CD2T47G2</c>.</summary>
    public string? Name => Scope("name");

    public string? Hardware => Scope("hardware");

    private string? Scope(string category)
    {
        var prefix = $"onvif://www.onvif.org/{category}/";
        var values = Scopes.Where(s => s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(s => Uri.UnescapeDataString(s[prefix.Length..])).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }
}

/// <summary>What a probe found, and a one-line message for each answer that could not be used.</summary>
public sealed record DiscoveryResult(IReadOnlyList<DiscoveredDevice> Devices, IReadOnlyList<string> Errors);

/// <summary>WS-Discovery (2005/04, as ONVIF Core uses it): a SOAP-over-UDP Probe, and the ProbeMatches devices answer with.</summary>
public static class WsDiscovery
{
    /// <summary>The WS-Discovery multicast group and port.</summary>
    public static readonly IPEndPoint MulticastGroup = new(IPAddress.Parse("239.255.255.250"), 3702);

    private const string ProbeAction = "http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe";
    private const string DiscoveryTarget = "urn:schemas-xmlsoap-org:ws:2005:04:discovery";

    /// <summary>
    /// The types probed for: every ONVIF device lists <c>tds:Device</c> (ONVIF Core, "Hello"), cameras of older firmware
    /// only <c>dn:NetworkVideoTransmitter</c>; a probe matches a device only when it has all of its types, so each gets its own probe.
    /// </summary>
    public static IReadOnlyList<XName> ProbedTypes { get; } = [OnvifXml.Device + "Device", OnvifXml.Network + "NetworkVideoTransmitter"];

    public static XDocument Probe(string messageId, XName type) => OnvifXml.Envelope(
        new XElement(OnvifXml.Discovery + "Probe",
            new XElement(OnvifXml.Discovery + "Types", new XAttribute(XNamespace.Xmlns + "t", type.NamespaceName), $"t:{type.LocalName}")),
        new XElement(OnvifXml.Addressing + "MessageID", messageId),
        new XElement(OnvifXml.Addressing + "To", DiscoveryTarget),
        new XElement(OnvifXml.Addressing + "Action", ProbeAction));

    /// <summary>
    /// The devices in one answer; empty when it answers someone else's probe (its RelatesTo is none of
    /// <paramref name="messageIds"/>). Throws <see cref="OnvifException"/> when the answer is not a ProbeMatches.
    /// </summary>
    public static IReadOnlyList<DiscoveredDevice> Matches(string text, IReadOnlyCollection<string> messageIds, IPEndPoint sender)
    {
        var body = OnvifXml.Body(text, sender.ToString());
        var relatesTo = body.Parent!.Element(OnvifXml.Soap + "Header")?.Element(OnvifXml.Addressing + "RelatesTo")?.Value.Trim();
        if (relatesTo is not null && !messageIds.Contains(relatesTo))
        {
            return [];
        }

        if (OnvifXml.Fault(body) is { } fault)
        {
            throw new OnvifException($"{sender} answered the probe with a fault: {fault.Reason}");
        }

        if (body.Element(OnvifXml.Discovery + "ProbeMatches") is not { } matches)
        {
            throw new OnvifException($"{sender} answered the probe with <{body.Elements().FirstOrDefault()?.Name.LocalName}>, not a WS-Discovery ProbeMatches");
        }

        return
        [
            .. from match in matches.Elements(OnvifXml.Discovery + "ProbeMatch")
               select new DiscoveredDevice(
                   match.Element(OnvifXml.Addressing + "EndpointReference")?.Element(OnvifXml.Addressing + "Address")?.Value.Trim() ?? "",
                   Words(match.Element(OnvifXml.Discovery + "XAddrs")),
                   Words(match.Element(OnvifXml.Discovery + "Scopes")),
                   sender),
        ];
    }

    /// <summary>
    /// Sends the probes to <paramref name="target"/> (the multicast group, or one device) from
    /// <paramref name="localAddress"/> and collects answers for <paramref name="timeout"/>; a unicast probe ends at its
    /// first answer.
    /// </summary>
    public static async Task<DiscoveryResult> ProbeAsync(IPEndPoint target, IPAddress? localAddress, TimeSpan timeout, CancellationToken ct)
    {
        var multicast = target.Address.Equals(MulticastGroup.Address);
        using var udp = Open(localAddress, multicast);

        var messageIds = new List<string>();
        foreach (var type in ProbedTypes)
        {
            var messageId = $"urn:uuid:{Guid.NewGuid()}";
            messageIds.Add(messageId);
            try
            {
                await udp.SendAsync(Encoding.UTF8.GetBytes(Probe(messageId, type).ToString(SaveOptions.DisableFormatting)), target, ct);
            }
            catch (SocketException ex)
            {
                throw new OnvifException($"cannot send the probe to {target}: {ex.Message}");
            }
        }

        var devices = new Dictionary<string, DiscoveredDevice>(StringComparer.Ordinal);
        var errors = new List<string>();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(ct);
        window.CancelAfter(timeout);
        while (!window.IsCancellationRequested)
        {
            UdpReceiveResult answer;
            try
            {
                answer = await udp.ReceiveAsync(window.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException ex)
            {
                errors.Add($"cannot probe {target}: {ex.Message}");
                break;
            }

            try
            {
                foreach (var device in Matches(Encoding.UTF8.GetString(answer.Buffer), messageIds, answer.RemoteEndPoint))
                {
                    // A device answers each probe it matches: keep it once.
                    devices.TryAdd(device.Endpoint.Length > 0 ? device.Endpoint : answer.RemoteEndPoint.ToString(), device);
                }
            }
            catch (OnvifException ex)
            {
                errors.Add(ex.Message);
            }

            if (!multicast && (devices.Count > 0 || errors.Count > 0))
            {
                break;
            }
        }

        return new DiscoveryResult([.. devices.Values], errors);
    }

    private static UdpClient Open(IPAddress? localAddress, bool multicast)
    {
        var udp = new UdpClient(AddressFamily.InterNetwork);
        try
        {
            udp.Client.Bind(new IPEndPoint(localAddress ?? IPAddress.Any, 0));
            if (multicast && localAddress is not null)
            {
                // Which network card the multicast leaves by, on a box with several.
                udp.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, localAddress.GetAddressBytes());
            }

            return udp;
        }
        catch (SocketException ex)
        {
            udp.Dispose();
            throw new OnvifException($"cannot probe from {localAddress}: {ex.Message}");
        }
    }

    private static List<string> Words(XElement? element) =>
        [.. (element?.Value ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];
}
