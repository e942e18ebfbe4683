using System.Diagnostics;
using System.Globalization;

namespace ServiceHall.Testing;

/// <summary>
/// Debian's HAProxy on a free loopback port in front of Console nodes, running the shipped configuration
/// (<c>deploy/haproxy/servicehall.cfg</c>) with its values from the environment; stopped by the test.
/// </summary>
public sealed class HaproxyServer : IAsyncDisposable
{
    private readonly Process _process;

    private HaproxyServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What HAProxy logged (servers marked up and down, with the check's reason).</summary>
    public IReadOnlyCollection<string> Log { get; private init; } = [];

    /// <summary>The proxy's address, as Recorders and browsers would use it.</summary>
    public Uri BaseAddress => new($"https://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public static async Task<HaproxyServer> StartAsync(Uri node1, Uri node2)
    {
        var port = Loopback.FreePort();
        var start = new ProcessStartInfo("haproxy")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-db", "-f", Path.Combine(RepoRoot.Path, "deploy", "haproxy", "servicehall.cfg")])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SERVICEHALL_PROXY_BIND"] = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["SERVICEHALL_NODE1"] = $"127.0.0.1:{node1.Port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["SERVICEHALL_NODE2"] = $"127.0.0.1:{node2.Port.ToString(CultureInfo.InvariantCulture)}";
        start.Environment["SERVICEHALL_CA_FILE"] = TestTls.CaPath;
        var process = Process.Start(start) ?? throw new InvalidOperationException("haproxy did not start: run ./hall.sh setup");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.ErrorDataReceived += (_, e) => log.Enqueue(e.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new HaproxyServer(process, port) { Log = log };
        using var client = TestTls.Client(server.BaseAddress);
        await Eventually.True(() => !process.HasExited && Answers(client), TimeSpan.FromSeconds(15), "haproxy to pass /health through");
        return server;
    }

    private static bool Answers(HttpClient client)
    {
        try
        {
            return client.GetAsync("/health").GetAwaiter().GetResult().IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
