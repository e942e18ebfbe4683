namespace ServiceHall.Recorder.Cameras;

/// <summary>Where the settings say a camera's streams are: whole URLs, or a vendor preset with host, channel and credentials.</summary>
public sealed record CameraAddress(
    string? Url,
    string? AnalysisUrl = null,
    string? Vendor = null,
    string? Host = null,
    int? Port = null,
    int? Channel = null,
    string? Username = null,
    string? Password = null,
    string? PasswordEnv = null);

/// <summary>A camera's main stream (recorded) and sub stream (analysed, optional), credentials included: for ffmpeg only.</summary>
public sealed record CameraStreams(string Url, string? AnalysisUrl);

/// <summary>
/// Turns a <see cref="CameraAddress"/> into its <see cref="CameraStreams"/>, or into one message per bad key. Resolving
/// its own result again gives the same result, so the Recorder can fill the URLs in and still validate them afterwards.
/// </summary>
public static class CameraAddressing
{
    private static readonly string VendorWords = string.Join(", ", CameraPresets.Names);

    /// <summary>
    /// The streams of <paramref name="address"/>, or every reason why there are none; each message starts with its key
    /// under <paramref name="key"/> (e.g. <c>Capture:Cameras:0</c>) and shows URLs redacted.
    /// </summary>
    public static (CameraStreams? Streams, IReadOnlyList<string> Errors) Resolve(CameraAddress address, string key, Func<string, string?> environment)
    {
        var errors = new List<string>();
        var streams = string.IsNullOrWhiteSpace(address.Vendor)
            ? Plain(address, key, errors)
            : Preset(address, key, environment, errors);
        return errors.Count == 0 ? (streams, errors) : (null, errors);
    }

    /// <summary>Whether ffmpeg can open <paramref name="url"/> as a camera: rtsp:// or rtsps://, or an absolute file path (tests, benchmarks).</summary>
    public static bool IsUsable(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (IsNetwork(uri) || (uri.IsFile && Path.IsPathRooted(url)));

    // No vendor: the URLs are used as given, credentials and all (how cameras were configured before presets).
    private static CameraStreams? Plain(CameraAddress address, string key, List<string> errors)
    {
        foreach (var (name, isSet) in new[]
                 {
                     ("Host", address.Host is not null), ("Port", address.Port is not null), ("Channel", address.Channel is not null),
                     ("Username", Given(address.Username) is not null), ("Password", Given(address.Password) is not null), ("PasswordEnv", Given(address.PasswordEnv) is not null),
                 })
        {
            if (isSet)
            {
                errors.Add($"{key}:{name} needs {key}:Vendor ({VendorWords}).");
            }
        }

        if (Given(address.Url) is not { } url)
        {
            errors.Add($"{key}:Url is required: the camera's rtsp:// URL, or {key}:Vendor and {key}:Host to build it from.");
        }
        else if (!IsUsable(url))
        {
            errors.Add($"{key}:Url '{RtspUrl.Redact(url)}' must be an rtsp:// URL or an absolute file path.");
        }

        var analysisUrl = Given(address.AnalysisUrl);
        if (analysisUrl is not null && !IsUsable(analysisUrl))
        {
            errors.Add($"{key}:AnalysisUrl '{RtspUrl.Redact(analysisUrl)}' must be an rtsp:// URL or an absolute file path.");
        }

        return new CameraStreams(address.Url ?? "", analysisUrl);
    }

    private static CameraStreams? Preset(CameraAddress address, string key, Func<string, string?> environment, List<string> errors)
    {
        if (!CameraPresets.TryParse(address.Vendor, out var vendor))
        {
            errors.Add($"{key}:Vendor '{address.Vendor}' must be one of {VendorWords}.");
            return null;
        }

        var credentials = Credentials(address, key, environment, errors);
        var (main, sub) = vendor == CameraVendor.Generic
            ? GenericUrls(address, key, errors)
            : PresetUrls(address, vendor, key, errors);
        if (main is null)
        {
            return null;
        }

        // Credentials written into Url (the older way) serve the sub stream too.
        if (credentials is null && RtspUrl.Credentials(main)?.Split(':', 2) is [var user, .. var rest])
        {
            credentials = (user, rest.Length == 0 ? null : rest[0]);
        }

        main = WithCredentials(main, credentials, $"{key}:Url", errors);
        sub = sub is null ? null : WithCredentials(sub, credentials, $"{key}:AnalysisUrl", errors);
        return new CameraStreams(main, sub);
    }

    // Generic: the whole URLs are given (as `cameras profiles` prints them); the preset keys add only the credentials.
    private static (string? Main, string? Sub) GenericUrls(CameraAddress address, string key, List<string> errors)
    {
        foreach (var (name, isSet) in new[] { ("Host", address.Host is not null), ("Port", address.Port is not null), ("Channel", address.Channel is not null) })
        {
            if (isSet)
            {
                errors.Add($"{key}:{name} has no use with {key}:Vendor generic: the host, port and path are those of {key}:Url.");
            }
        }

        var main = NetworkUrl(address.Url, $"{key}:Url", required: true, errors);
        var sub = NetworkUrl(address.AnalysisUrl, $"{key}:AnalysisUrl", required: false, errors);
        return (main, sub);
    }

    private static (string? Main, string? Sub) PresetUrls(CameraAddress address, CameraVendor vendor, string key, List<string> errors)
    {
        var name = vendor.ToString().ToLowerInvariant();
        var host = Given(address.Host);
        if (host is null)
        {
            errors.Add($"{key}:Host is required with {key}:Vendor {name}: the camera's IP address or host name.");
        }
        else if (Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            errors.Add($"{key}:Host '{host}' is not an IP address or host name.");
        }

        var port = address.Port ?? CameraPresets.DefaultPort;
        if (port is < 1 or > 65535)
        {
            errors.Add($"{key}:Port {port} must be between 1 and 65535 (RTSP is usually 554).");
        }

        var channel = address.Channel ?? CameraPresets.DefaultChannel;
        if (channel is < 1 or > CameraPresets.MaxChannel)
        {
            errors.Add($"{key}:Channel {channel} must be between 1 and {CameraPresets.MaxChannel} (a camera's own stream is channel 1).");
        }

        if (errors.Count > 0)
        {
            return (null, null);
        }

        var paths = CameraPresets.Paths(vendor, channel)!;
        var main = CameraPresets.Url(host!, port, paths.Main);
        var sub = CameraPresets.Url(host!, port, paths.Sub);
        return (Consistent(address.Url, main, $"{key}:Url", name, errors), Consistent(address.AnalysisUrl, sub, $"{key}:AnalysisUrl", name, errors));
    }

    /// <summary>The preset URL, or the given one when it names the same stream (it may carry credentials the preset lacks).</summary>
    private static string Consistent(string? given, string preset, string key, string vendor, List<string> errors)
    {
        if (Given(given) is not { } url)
        {
            return preset;
        }

        if (!SameStream(url, preset))
        {
            errors.Add($"{key} '{RtspUrl.Redact(url)}' is not the {vendor} stream '{preset}' that Vendor, Host, Port and Channel give; leave {key} out or make them agree.");
            return preset;
        }

        return url;
    }

    private static string? NetworkUrl(string? url, string key, bool required, List<string> errors)
    {
        if (Given(url) is not { } given)
        {
            if (required)
            {
                errors.Add($"{key} is required with Vendor generic: the camera's rtsp:// URL (`cameras profiles` prints it).");
            }

            return null;
        }

        if (!Uri.TryCreate(given, UriKind.Absolute, out var uri) || !IsNetwork(uri))
        {
            errors.Add($"{key} '{RtspUrl.Redact(given)}' must be an rtsp:// URL.");
            return null;
        }

        return given;
    }

    /// <summary>The user name and password of the preset keys, the password perhaps from the environment; null when none are set.</summary>
    private static (string User, string? Password)? Credentials(CameraAddress address, string key, Func<string, string?> environment, List<string> errors)
    {
        var password = Given(address.Password);
        if (Given(address.PasswordEnv) is { } variable)
        {
            if (password is not null)
            {
                errors.Add($"{key}:Password and {key}:PasswordEnv are both set; keep one (PasswordEnv keeps the password out of the settings file).");
            }

            password = environment(variable);
            if (string.IsNullOrEmpty(password))
            {
                errors.Add($"{key}:PasswordEnv names the environment variable '{variable}', which is not set.");
            }
        }

        var user = Given(address.Username);
        if (user is null)
        {
            if (password is not null || Given(address.PasswordEnv) is not null)
            {
                errors.Add($"{key}:Username is required when a password is given.");
            }

            return null;
        }

        return (user, password);
    }

    /// <summary><paramref name="url"/> carrying the preset's credentials; a URL with other credentials of its own is refused.</summary>
    private static string WithCredentials(string url, (string User, string? Password)? credentials, string key, List<string> errors)
    {
        if (credentials is not { } given)
        {
            return url;
        }

        var expected = given.Password is null ? given.User : $"{given.User}:{given.Password}";
        if (RtspUrl.Credentials(url) is { } own && own != expected)
        {
            errors.Add($"{key} carries credentials other than Username and the password; keep them in Username and Password or PasswordEnv only.");
        }

        return RtspUrl.WithCredentials(url, given.User, given.Password);
    }

    private static bool SameStream(string a, string b) =>
        Uri.TryCreate(RtspUrl.WithoutCredentials(a), UriKind.Absolute, out var x)
        && Uri.TryCreate(RtspUrl.WithoutCredentials(b), UriKind.Absolute, out var y)
        && string.Equals(x.Scheme, y.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase)
        && PortOf(x) == PortOf(y)
        // Camera firmwares match their paths whatever the case (Hikvision's guide writes "channels", its examples "Channels").
        && string.Equals(x.PathAndQuery, y.PathAndQuery, StringComparison.OrdinalIgnoreCase);

    private static int PortOf(Uri uri) => uri.Port > 0 ? uri.Port : CameraPresets.DefaultPort;

    private static bool IsNetwork(Uri uri) => uri.Scheme is "rtsp" or "rtsps";

    private static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
