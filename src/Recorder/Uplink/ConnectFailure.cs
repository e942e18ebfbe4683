using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;

namespace ServiceHall.Recorder.Uplink;

/// <summary>What a failed connection attempt to the Console says, for the log: a refusal of the site key, or why it could not be reached.</summary>
public static partial class ConnectFailure
{
    /// <summary>
    /// The HTTP status of a refused connection (401 or 403: the site key), or null. The Recorder connects with a
    /// WebSocket and no negotiate request, so a refusal arrives as the WebSocket handshake's unexpected status.
    /// </summary>
    public static int? RefusedStatus(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } http)
            {
                return (int)http.StatusCode!;
            }

            // System.Net.WebSockets: "The server returned status code '401' when status code '101' was expected."
            if (e is WebSocketException && HandshakeStatus().Match(e.Message) is { Success: true } match
                && int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) is var status and (401 or 403))
            {
                return status;
            }
        }

        return null;
    }

    /// <summary>The error and its causes in one line ("Unable to connect ...: The SSL connection could not be established ...: ..."), since the outer message alone rarely says why.</summary>
    public static string Reason(Exception error)
    {
        var parts = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (parts.Count == 0 || !parts[^1].Contains(e.Message, StringComparison.Ordinal))
            {
                parts.Add(e.Message.TrimEnd('.'));
            }
        }

        return string.Join(": ", parts);
    }

    [GeneratedRegex(@"status code '(\d{3})' when status code '101'")]
    private static partial Regex HandshakeStatus();
}
