using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OrleansDcos.AgentLink;

/// <summary>
/// The agent's end of the link (docs/agent-protocol.md), the one every node daemon and simulated agent uses: connects
/// to a gateway, registers with what the agent has (<see cref="IAgentLinkHandler.Registration"/>), heartbeats at the
/// interval the master answers, dispatches each command to the handler in order, and when the link is lost — or the master
/// says to register again — connects to the next gateway after a growing, jittered pause. Sends are serialized.
/// </summary>
public sealed partial class AgentLinkClient : IAsyncDisposable
{
    private readonly AgentLinkClientOptions _options;
    private readonly IAgentLinkHandler _handler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket? _socket;
    private LinkSender? _sender;
    private Task? _run;
    private int _gateway;
    private int _registrations;
    private int _disposed;

    /// <summary>A client for <paramref name="handler"/>'s agent; <see cref="Start"/> connects it.</summary>
    public AgentLinkClient(AgentLinkClientOptions options, IAgentLinkHandler handler, ILogger? logger = null)
    {
        if (options.Gateways.Count == 0)
        {
            throw new ArgumentException("the agent link needs at least one gateway", nameof(options));
        }

        _options = options;
        _handler = handler;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>True while registered on a live link.</summary>
    public bool Connected { get; private set; }

    /// <summary>Times the agent registered (its first enrollment included).</summary>
    public int Registrations => Volatile.Read(ref _registrations);

    /// <summary>Why the last link ended (the master's REREGISTER or ERROR message, or the failure), or null.</summary>
    public string? LastDisconnect { get; private set; }

    /// <summary>Connects, and keeps connecting, in the background.</summary>
    public void Start() => _run ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Sends <paramref name="message"/> on the current link.</summary>
    /// <exception cref="IOException">There is no link now (what waits for one is sent on the next).</exception>
    public async Task SendAsync(AgentLinkMessage message, CancellationToken cancellationToken)
    {
        var sender = _sender is { } s && Connected ? s : throw new IOException("no agent link: it waits for the next one");
        await sender.SendAsync(message, cancellationToken);
    }

    /// <summary>Stops for good, without a goodbye (the master judges the silence, as for a crash). Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _socket?.Abort();
        if (_run is not null)
        {
            await _run.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }

    private bool Hung => _options.Hung?.Invoke() == true;

    private async Task RunAsync(CancellationToken stop)
    {
        var pause = _options.RetryFirst;
        while (!stop.IsCancellationRequested)
        {
            var gateway = _options.Gateways[_gateway % _options.Gateways.Count];
            try
            {
                while (Hung && !stop.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _options.Time, stop); // a hung daemon does not reconnect either
                }

                await LinkAsync(gateway, stop);
                pause = _options.RetryFirst;
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or JsonException or HttpRequestException or IOException)
            {
                if (!stop.IsCancellationRequested)
                {
                    // The innermost reason says what went wrong (a refused certificate, a refused connection), not just "unable to connect".
                    var reason = ex.GetBaseException() is var inner && inner != ex ? $"{ex.Message} ({inner.Message})" : ex.Message;
                    LastDisconnect = $"{ex.GetType().Name}: {reason}";
                    LinkFailed(_logger, gateway, reason);
                }
            }

            Connected = false;
            _gateway++;
            if (!stop.IsCancellationRequested)
            {
                await Task.Delay(pause * (0.5 + _options.Jitter.NextDouble()), _options.Time, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                pause = TimeSpan.FromMilliseconds(Math.Min(_options.RetryMax.TotalMilliseconds, pause.TotalMilliseconds * 2));
            }
        }
    }

    private async Task LinkAsync(Uri gateway, CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        if (_options.TrustedCa is { } ca)
        {
            socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Scheduling.Security.CertificateAuthority.AcceptsServer(certificate, errors, ca);
        }

        if ((_options.TokenSource?.Invoke() ?? _options.Token) is { Length: > 0 } token)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        var uri = new UriBuilder(gateway) { Scheme = gateway.Scheme == "https" ? "wss" : "ws", Path = AgentLinkProtocol.Path }.Uri;
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(stop);
        connect.CancelAfter(_options.ConnectTimeout);
        await socket.ConnectAsync(uri, connect.Token);
        var sender = new LinkSender(socket);
        _socket = socket;
        _sender = sender;
        var registration = _handler.Registration();
        await sender.SendAsync(new AgentLinkMessage(AgentLinkProtocol.Register, Registration: registration), connect.Token);
        var reply = await LinkFrames.ReceiveAsync<AgentLinkMessage>(socket, connect.Token);
        if (reply?.Type != AgentLinkProtocol.Registered || reply.Registered is not { } registered)
        {
            throw new WebSocketException($"registration refused: {reply?.Message ?? "the link closed"}");
        }

        Interlocked.Increment(ref _registrations);
        Connected = true;
        Linked(_logger, registration.Agent.AgentId, gateway, registration.Tasks.Count);
        using var linkDone = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var heartbeat = HeartbeatAsync(TimeSpan.FromSeconds(registered.HeartbeatIntervalSeconds), linkDone.Token);
        var owner = _handler.LinkedAsync(registered, linkDone.Token);
        try
        {
            while (await LinkFrames.ReceiveAsync<AgentLinkMessage>(socket, stop) is { } message)
            {
                if (message.Type is AgentLinkProtocol.Reregister or AgentLinkProtocol.Error)
                {
                    LastDisconnect = $"{message.Type}: {message.Message}";
                    Told(_logger, message.Type, message.Message);
                    break;
                }

                foreach (var command in message.Commands ?? [])
                {
                    await DispatchAsync(command, stop);
                }
            }
        }
        finally
        {
            Connected = false;
            await linkDone.CancelAsync();
            await Task.WhenAll(heartbeat, owner).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task DispatchAsync(AgentCommand command, CancellationToken stop)
    {
        switch (command.Type)
        {
            case AgentCommandTypes.Launch:
                _handler.Launch(command.Tasks ?? []);
                break;
            case AgentCommandTypes.Kill when command.TaskId is not null:
                _handler.Kill(command.TaskId, command.GracePeriodSeconds is { } g && g >= 0 ? TimeSpan.FromSeconds(g) : null);
                break;
            case AgentCommandTypes.ShutdownFramework when command.FrameworkId is not null:
                _handler.ShutdownFramework(command.FrameworkId);
                break;
            case AgentCommandTypes.Acknowledge:
                foreach (var ack in command.Acks ?? [])
                {
                    await _handler.AcknowledgeAsync(ack);
                }

                break;
            case AgentCommandTypes.CheckpointResources when command.Resources is { } resources:
                _handler.CheckpointResources(resources);
                break;
            case AgentCommandTypes.ReadLog when command.Log is { } log:
                await SendAsync(new AgentLinkMessage(AgentLinkProtocol.LogData, Chunk: _handler.ReadLog(log)), stop);
                break;
        }
    }

    private async Task HeartbeatAsync(TimeSpan interval, CancellationToken linkDone)
    {
        using var timer = new PeriodicTimer(interval, _options.Time);
        while (await timer.WaitForNextTickAsync(linkDone))
        {
            if (!Hung)
            {
                await SendAsync(new AgentLinkMessage(AgentLinkProtocol.Heartbeat), linkDone);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "agent link to {Gateway}: {Message}")]
    private static partial void LinkFailed(ILogger logger, Uri gateway, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent {AgentId} registered through {Gateway} with {Tasks} tasks")]
    private static partial void Linked(ILogger logger, string agentId, Uri gateway, int tasks);

    [LoggerMessage(Level = LogLevel.Information, Message = "agent link: {Type} {Message}")]
    private static partial void Told(ILogger logger, string type, string? message);
}
