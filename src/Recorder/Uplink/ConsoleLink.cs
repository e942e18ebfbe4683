using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceHall.Recorder.Site;
using ServiceHall.Shared.Contracts;
using ServiceHall.Shared.Transport;

namespace ServiceHall.Recorder.Uplink;

/// <summary>
/// The Recorder's one connection to the Console. It only ever dials out, and retries forever with jittered
/// backoff, including the very first connect (the SignalR client's own policy gives up after four tries).
/// </summary>
public sealed partial class ConsoleLink : BackgroundService
{
    private readonly UplinkOptions _options;
    private readonly SiteOptions _site;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsoleLink> _logger;
    private readonly HubConnection _connection;
    private readonly TlsTrust _trust;

    private readonly ReportTrigger _connected;
    private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConsoleLink(IOptions<UplinkOptions> options, IOptions<SiteOptions> site, ReportTrigger connected, TlsTrust trust, TimeProvider time, ILogger<ConsoleLink> logger)
    {
        _trust = trust;
        _connected = connected;
        _options = options.Value;
        _site = site.Value;
        _time = time;
        _logger = logger;
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_options.ConsoleUrl!, HubPaths.Recorder), http =>
            {
                // One WebSocket, no negotiate request first: behind a proxy in front of several Console nodes, the
                // connection is one TCP stream that any node can take (no sticky sessions needed).
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
                http.Headers[SiteKeyHeaders.SiteId] = _site.Id;
                http.Headers[SiteKeyHeaders.Key] = _options.SiteKey;
                // Both transports validate the Console with the same trust: the pinned city CA when configured.
                http.HttpMessageHandlerFactory = inner =>
                {
                    if (inner is HttpClientHandler handler)
                    {
                        handler.ServerCertificateCustomValidationCallback = (_, certificate, chain, errors) => trust.Validate(null, certificate, chain, errors);
                    }

                    return inner;
                };
                http.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = trust.Validate;
            })
            .AddJsonProtocol(json => json.PayloadSerializerOptions = WireJson.Options)
            .Build();
        _connection.ServerTimeout = TimeSpan.FromSeconds(30);
        _connection.KeepAliveInterval = TimeSpan.FromSeconds(10);
    }

    public bool IsConnected => _connection.State == HubConnectionState.Connected;

    public HubConnection Connection => _connection;

    /// <summary>An HTTP client to the Console (uploads) with the site's key and the same TLS trust as the hub connection.</summary>
    public HttpClient CreateHttpClient(TimeSpan timeout)
    {
        var http = new HttpClient(_trust.CreateHandler()) { BaseAddress = _options.ConsoleUrl, Timeout = timeout };
        http.DefaultRequestHeaders.Add(SiteKeyHeaders.SiteId, _site.Id);
        http.DefaultRequestHeaders.Add(SiteKeyHeaders.Key, _options.SiteKey);
        return http;
    }

    /// <summary>Completes when the link is up (at once if it is).</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken) =>
        IsConnected ? Task.CompletedTask : Volatile.Read(ref _up).Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = new RetryBackoff(_options.RetryInitialDelay, _options.RetryMaxDelay, _time);
        while (!stoppingToken.IsCancellationRequested)
        {
            var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            Task OnClosed(Exception? error)
            {
                closed.TrySetResult(error);
                return Task.CompletedTask;
            }

            _connection.Closed += OnClosed;
            try
            {
                await _connection.StartAsync(stoppingToken);
                retry.Reset();
                LogConnected(_logger, _options.ConsoleUrl!, _site.Id);
                _connected.Signal();
                Volatile.Read(ref _up).TrySetResult();
                using (stoppingToken.Register(() => closed.TrySetCanceled(stoppingToken)))
                {
                    var error = await closed.Task;
                    LogDisconnected(_logger, error?.Message ?? "closed by the Console");
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ConnectFailure.RefusedStatus(ex) is { } status)
            {
                LogRefused(_logger, _site.Id, status);
            }
#pragma warning disable CA1031 // Any failure to connect is retried; the Recorder keeps recording meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogConnectFailed(_logger, _options.ConsoleUrl!, ConnectFailure.Reason(ex));
            }
            finally
            {
                _connection.Closed -= OnClosed;
                if (_up.Task.IsCompleted)
                {
                    Volatile.Write(ref _up, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }
            }

            if (!await retry.WaitAsync(stoppingToken))
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _connection.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to Console {ConsoleUrl} as site {SiteId}")]
    private static partial void LogConnected(ILogger logger, Uri consoleUrl, string siteId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Console connection lost: {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Console refused site {SiteId} (HTTP {Status}): check Uplink:SiteKey; retrying")]
    private static partial void LogRefused(ILogger logger, string siteId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach Console {ConsoleUrl}: {Reason}; retrying")]
    private static partial void LogConnectFailed(ILogger logger, Uri consoleUrl, string reason);
}
