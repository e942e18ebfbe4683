using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ServiceHall.Testing;

namespace ServiceHall.Bench.Failover;

/// <summary>
/// One Console node as its own OS process (<c>dotnet ServiceHall.Console.dll</c>), so the drill can SIGKILL it. Its
/// output is drained and the last lines kept, for the report when something goes wrong.
/// </summary>
public sealed class ConsoleNode : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();
    private int _warnings;
    private bool _afterHeader;

    private ConsoleNode(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"https://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public bool HasExited => _process.HasExited;

    /// <summary>Lines the node logged at warning or above (the drill runs nodes at Warning).</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    public IEnumerable<string> Tail => _tail;

    /// <summary>The messages of the warnings and errors it logged, counted.</summary>
    public FailureReasons Messages { get; } = new();

    /// <summary>The process's working set, or 0 once it has gone.</summary>
    public long WorkingSetBytes
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.HasExited ? 0 : _process.WorkingSet64;
            }
            catch (InvalidOperationException)
            {
                return 0;
            }
        }
    }

    /// <summary>CPU the node has used so far (frozen once it has gone).</summary>
    public TimeSpan Cpu { get; private set; }

    /// <summary>Starts the node on a free loopback port and waits until it answers <c>/health/ready</c>.</summary>
    public static async Task<ConsoleNode> StartAsync(string name, string consoleDll, IEnumerable<string> consoleArgs, CancellationToken cancellationToken)
    {
        var port = Loopback.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(consoleDll);
        foreach (var argument in consoleArgs.Concat(TestTls.ConsoleArgs($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}")))
        {
            start.ArgumentList.Add(argument);
        }

        var node = new ConsoleNode(name, Process.Start(start) ?? throw new InvalidOperationException($"dotnet {consoleDll} did not start"), port);
        using var client = TestTls.Client(node.BaseAddress, timeout: TimeSpan.FromSeconds(5));
        for (var clock = Stopwatch.StartNew(); ; await Task.Delay(250, cancellationToken))
        {
            if (node.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                throw new InvalidOperationException($"{name} did not become ready: {string.Join(Environment.NewLine, node.Tail.TakeLast(20))}");
            }

            try
            {
                if ((await client.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken)).IsSuccessStatusCode)
                {
                    return node;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Busy migrating or starting.
            }
        }
    }

    /// <summary>SIGKILL: no shutdown, no connection closed politely, nothing flushed.</summary>
    public void Kill()
    {
        SampleCpu();
        _process.Kill();
    }

    public void SampleCpu()
    {
        try
        {
            _process.Refresh();
            if (!_process.HasExited)
            {
                Cpu = _process.TotalProcessorTime;
            }
        }
        catch (InvalidOperationException)
        {
            // Gone meanwhile: the last sample stands.
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        // The console logger writes "warn: Category[id]" and the message on the next line.
        if (_afterHeader)
        {
            Messages.Note(line.Trim());
        }

        _afterHeader = line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal);
        if (_afterHeader)
        {
            Interlocked.Increment(ref _warnings);
        }

        _tail.Enqueue(line);
        while (_tail.Count > KeptLines && _tail.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
