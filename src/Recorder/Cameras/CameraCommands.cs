using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServiceHall.Recorder.Cameras;

/// <summary>
/// <c>ServiceHall.Recorder cameras discover</c> and <c>cameras profiles</c>: find the ONVIF cameras of a hall and print
/// the settings block of one, with both streams, for <c>Capture:Cameras</c>.
/// </summary>
public static class CameraCommands
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    public const string Usage = """
        usage: ServiceHall.Recorder cameras discover [--timeout 3s] [--interface-address ADDR] [--target HOST[:PORT]]
               ServiceHall.Recorder cameras profiles HOST[:PORT] [--user USER --password-env VAR] [--id CAMERA-ID] [--timeout 10s]
        """;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // Keeps '&' of Dahua-style URLs readable in the block an installer copies.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Runs <paramref name="args"/> (what follows <c>cameras</c>); returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken ct)
    {
        try
        {
            return args switch
            {
                ["discover", .. var rest] => await DiscoverAsync(Arguments.Parse(rest, ["timeout", "interface-address", "target"]), output, error, ct),
                ["profiles", .. var rest] => await ProfilesAsync(Arguments.Parse(rest, ["user", "password-env", "id", "timeout"]), output, error, environment, ct),
                _ => throw new UsageException("expected 'discover' or 'profiles'"),
            };
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync($"cameras: {ex.Message}");
            await error.WriteLineAsync(Usage);
            return UsageError;
        }
        catch (OnvifException ex)
        {
            await error.WriteLineAsync($"cameras: {ex.Message}");
            return Failed;
        }
    }

    private static async Task<int> DiscoverAsync(Arguments args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        args.NoPositional();
        var timeout = args.Duration("timeout", TimeSpan.FromSeconds(3));
        var local = args.Value("interface-address") is { } text
            ? IPAddress.TryParse(text, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                ? address
                : throw new UsageException($"--interface-address '{text}' is not an IPv4 address of this box")
            : null;
        var target = args.Value("target") is { } targetText ? Endpoint(targetText, WsDiscovery.MulticastGroup.Port) : WsDiscovery.MulticastGroup;

        var result = await WsDiscovery.ProbeAsync(target, local, timeout, ct);
        foreach (var problem in result.Errors)
        {
            await error.WriteLineAsync($"cameras: {problem}");
        }

        if (result.Devices.Count == 0)
        {
            await error.WriteLineAsync($"cameras: no ONVIF device answered within {timeout.TotalSeconds:0.#} s (probed {target}).");
            return Failed;
        }

        foreach (var device in result.Devices)
        {
            await output.WriteLineAsync($"{device.From.Address}  name: {device.Name ?? "-"}  hardware: {device.Hardware ?? "-"}  ({device.Endpoint})");
            foreach (var xaddr in device.XAddrs)
            {
                await output.WriteLineAsync($"  device service: {xaddr}");
            }
        }

        await output.WriteLineAsync("next: ServiceHall.Recorder cameras profiles <device service> --user <user> --password-env <VARIABLE>");
        return Ok;
    }

    private static async Task<int> ProfilesAsync(Arguments args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken ct)
    {
        var device = args.Positional() is { } hostText
            ? OnvifDevice.DeviceServiceAddress(hostText) ?? throw new UsageException($"'{hostText}' is not HOST[:PORT] or an http:// device service address")
            : throw new UsageException("profiles needs the camera's HOST[:PORT]");
        var user = args.Value("user");
        var passwordVariable = args.Value("password-env");
        if ((user is null) != (passwordVariable is null))
        {
            throw new UsageException("--user and --password-env go together (the password is read from that environment variable, never from the command line)");
        }

        var password = passwordVariable is null ? null : environment(passwordVariable);
        if (passwordVariable is not null && string.IsNullOrEmpty(password))
        {
            throw new UsageException($"--password-env: the environment variable '{passwordVariable}' is not set");
        }

        using var http = new HttpClient { Timeout = args.Duration("timeout", TimeSpan.FromSeconds(10)) };
        var streams = await new OnvifDevice(http, device, user, password, TimeProvider.System).StreamsAsync(ct);
        await error.WriteLineAsync($"main stream: profile {Describe(streams.Main.Profile)}");
        await error.WriteLineAsync(streams.Sub is null ? "sub stream: none (the device has one resolution only)" : $"sub stream:  profile {Describe(streams.Sub.Profile)}");
        await output.WriteLineAsync(SettingsBlock(args.Value("id") ?? "cam-1", device.Host, streams, user, passwordVariable));
        return Ok;
    }

    /// <summary>One entry of <c>Capture:Cameras</c>: the URLs as the device gave them, the credentials as keys, the password as the name of its variable.</summary>
    public static string SettingsBlock(string id, string name, DeviceStreams streams, string? user, string? passwordVariable)
    {
        var camera = new JsonObject
        {
            ["Id"] = id,
            ["Name"] = name,
            ["Vendor"] = "generic",
            ["Url"] = streams.Main.Uri,
        };
        if (streams.Sub is not null)
        {
            camera["AnalysisUrl"] = streams.Sub.Uri;
        }

        if (user is not null)
        {
            camera["Username"] = user;
            camera["PasswordEnv"] = passwordVariable;
        }

        camera["Windows"] = new JsonArray();
        return camera.ToJsonString(Json);
    }

    private static string Describe(MediaProfile profile) =>
        string.Create(CultureInfo.InvariantCulture, $"'{profile.Name}' ({profile.Token}), {profile.Encoding} {profile.Width}x{profile.Height}");

    private static IPEndPoint Endpoint(string text, int defaultPort)
    {
        if (IPEndPoint.TryParse(text, out var endpoint))
        {
            return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, defaultPort) : endpoint;
        }

        throw new UsageException($"--target '{text}' is not IP[:PORT]");
    }

    private sealed class UsageException(string message) : Exception(message);

    /// <summary>Positional words and <c>--name value</c> (or <c>--name=value</c>) options; an unknown option is a usage error.</summary>
    private sealed class Arguments
    {
        private readonly List<string> _positional = [];
        private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

        public static Arguments Parse(string[] args, string[] known)
        {
            var parsed = new Arguments();
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal))
                {
                    parsed._positional.Add(args[i]);
                    continue;
                }

                var (name, value) = args[i].IndexOf('=', StringComparison.Ordinal) is var eq and > 0
                    ? (args[i][2..eq], args[i][(eq + 1)..])
                    : (args[i][2..], i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value"));
                if (!known.Contains(name))
                {
                    throw new UsageException($"unknown option --{name}");
                }

                parsed._options[name] = value;
            }

            return parsed;
        }

        public string? Value(string name) => _options.TryGetValue(name, out var value) ? value : null;

        public string? Positional() => _positional.Count switch
        {
            0 => null,
            1 => _positional[0],
            _ => throw new UsageException($"unexpected '{_positional[1]}'"),
        };

        public void NoPositional()
        {
            if (_positional.Count > 0)
            {
                throw new UsageException($"unexpected '{_positional[0]}'");
            }
        }

        /// <summary>A duration as <c>3s</c>, <c>500ms</c>, <c>2m</c> or <c>00:00:03</c>.</summary>
        public TimeSpan Duration(string name, TimeSpan fallback)
        {
            if (Value(name) is not { } text)
            {
                return fallback;
            }

            var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
                : text.EndsWith('s') ? (text[..^1], 1.0)
                : text.EndsWith('m') ? (text[..^1], 60.0)
                : (text, double.NaN);
            var duration = double.IsNaN(unit)
                ? TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : TimeSpan.Zero
                : double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? TimeSpan.FromSeconds(value * unit) : TimeSpan.Zero;
            return duration > TimeSpan.Zero && duration <= TimeSpan.FromMinutes(5)
                ? duration
                : throw new UsageException($"--{name} '{text}' must be a duration such as 3s, 500ms or 00:00:03, up to 5 minutes");
        }
    }
}
