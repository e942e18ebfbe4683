using System.Globalization;

namespace ServiceHall.Bench.Failover;

/// <summary>What the drill runs: its size, its pace, when the node dies and how long it may take at most.</summary>
public sealed record FailoverOptions
{
    public int Recorders { get; init; } = 2000;

    public int Monitors { get; init; } = 20;

    /// <summary>Events of the burst, over all Recorders.</summary>
    public int Events { get; init; } = 20_000;

    /// <summary>How fast the halls produce the burst's events, all together.</summary>
    public int EventsPerSecond { get; init; } = 2000;

    /// <summary>The node is killed when this share of the burst has been produced.</summary>
    public double KillAt { get; init; } = 0.5;

    /// <summary>Every how many sites one loses a camera during the burst (a camera-down alert each).</summary>
    public int AlertEvery { get; init; } = 10;

    /// <summary>The whole drill stops by itself after this long, whatever state it is in.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public required string TlsFolder { get; init; }

    public required string ConsoleDll { get; init; }

    /// <summary>Reads <c>--recorders N --monitors N --events N --events-per-second N --kill-at F --alert-every N
    /// --timeout-seconds N --tls DIR --console DLL</c>; a value that is missing or not positive is refused with its name.</summary>
    public static FailoverOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }

            values[args[i]] = args[i + 1];
        }

        int Int(string name, int fallback)
        {
            if (!values.Remove(name, out var text))
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{name} must be a positive whole number, got '{text}'");
        }

        string Required(string name) => values.Remove(name, out var text) ? text : throw new ArgumentException($"{name} is required");

        var defaults = new FailoverOptions { TlsFolder = "", ConsoleDll = "" };
        var killAt = values.Remove("--kill-at", out var kill)
            ? double.TryParse(kill, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) && share is > 0 and < 1
                ? share
                : throw new ArgumentException($"--kill-at must be a share of the burst between 0 and 1, got '{kill}'")
            : defaults.KillAt;
        var options = new FailoverOptions
        {
            Recorders = Int("--recorders", defaults.Recorders),
            Monitors = Int("--monitors", defaults.Monitors),
            Events = Int("--events", defaults.Events),
            EventsPerSecond = Int("--events-per-second", defaults.EventsPerSecond),
            KillAt = killAt,
            AlertEvery = Int("--alert-every", defaults.AlertEvery),
            Timeout = TimeSpan.FromSeconds(Int("--timeout-seconds", (int)defaults.Timeout.TotalSeconds)),
            TlsFolder = Required("--tls"),
            ConsoleDll = Required("--console"),
        };
        return values.Count == 0 ? options : throw new ArgumentException($"unknown option {values.Keys.First()}");
    }
}
