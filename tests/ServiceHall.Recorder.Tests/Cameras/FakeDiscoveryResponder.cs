using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Xml.Linq;

namespace ServiceHall.Recorder.Tests.Cameras;

/// <summary>
/// A camera's WS-Discovery side on 127.0.0.1 (never the multicast group): it answers each unicast Probe with what
/// <c>answer</c> makes of it, by default a ProbeMatches like ONVIF Core's and WS-Discovery's examples.
/// </summary>
public sealed class FakeDiscoveryResponder : IAsyncDisposable
{
    public const string Endpoint = "urn:uuid:a1f48ac2-dc8b-11df-b255-00408c1836b2";

    private static readonly XNamespace Wsa = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    private static readonly XNamespace Env = "http://www.w3.org/2003/05/soap-envelope";

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeDiscoveryResponder(Func<XDocument, string?>? answer = null)
    {
        _loop = AnswerAsync(answer ?? (probe => ProbeMatches(MessageId(probe))));
    }

    public IPEndPoint Address => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>Every probe received, as parsed.</summary>
    public ConcurrentQueue<XDocument> Probes { get; } = new();

    public static string MessageId(XDocument probe) => probe.Root!.Element(Env + "Header")!.Element(Wsa + "MessageID")!.Value;

    public static string ProbeMatches(string relatesTo) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
            xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">
          <env:Header>
            <wsa:MessageID>urn:uuid:{Guid.NewGuid()}</wsa:MessageID>
            <wsa:RelatesTo>{relatesTo}</wsa:RelatesTo>
            <wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
            <wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>
          </env:Header>
          <env:Body>
            <d:ProbeMatches>
              <d:ProbeMatch>
                <wsa:EndpointReference><wsa:Address>{Endpoint}</wsa:Address></wsa:EndpointReference>
                <d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
                <d:Scopes>onvif://www.onvif.org/Profile/Streaming onvif://www.onvif.org/hardware/D1-566 onvif://www.onvif.org/location/country/china onvif://www.onvif.org/name/ARV-453%20Hall%20A</d:Scopes>
                <d:XAddrs>http://127.0.0.1:8080/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs>
                <d:MetadataVersion>1</d:MetadataVersion>
              </d:ProbeMatch>
            </d:ProbeMatches>
          </env:Body>
        </env:Envelope>
        """;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _udp.Dispose();
        _stop.Dispose();
    }

    private async Task AnswerAsync(Func<XDocument, string?> answer)
    {
        try
        {
            while (true)
            {
                var received = await _udp.ReceiveAsync(_stop.Token);
                var probe = XDocument.Parse(Encoding.UTF8.GetString(received.Buffer));
                Probes.Enqueue(probe);
                if (answer(probe) is { } reply)
                {
                    await _udp.SendAsync(Encoding.UTF8.GetBytes(reply), received.RemoteEndPoint, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
