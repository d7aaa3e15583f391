using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using OrleansDcos.AgentLink;
using OrleansDcos.Mesos;

namespace OrleansDcos.Tests.Support.Master;

/// <summary>
/// A master that is only the silo's end of the agent link, on a real loopback WebSocket: it accepts a node daemon's
/// registration, sends it whatever commands a test gives (including ones the real master would never send, to test
/// the daemon's own defences) and records the status updates it gets, acknowledging each.
/// </summary>
public sealed class LinkOnlyMaster : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<TaskStatusUpdate> _updates = new();
    private readonly Task _serve;
    private WebSocket? _socket;

    private LinkOnlyMaster(int port)
    {
        Gateway = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(Gateway.ToString());
        _listener.Start();
        _serve = ServeAsync();
    }

    /// <summary>The address daemons enroll through.</summary>
    public Uri Gateway { get; }

    /// <summary>Every status update received, in order.</summary>
    public IReadOnlyList<TaskStatusUpdate> Updates => _updates.ToArray();

    /// <summary>True once a daemon registered.</summary>
    public bool Registered => _socket is not null;

    /// <summary>Starts listening on a free loopback port.</summary>
    public static LinkOnlyMaster Start() => new(FreePort.Next());

    /// <summary>Sends commands to the registered daemon.</summary>
    public Task SendAsync(params AgentCommand[] commands) =>
        LinkFrames.SendAsync(_socket ?? throw new InvalidOperationException("no daemon registered yet"),
            new AgentLinkMessage(AgentLinkProtocol.Commands, Commands: commands), _stop.Token);

    /// <summary>The last update of <paramref name="taskId"/> once it is terminal.</summary>
    public Task<TaskStatusUpdate> TerminalUpdateAsync(string taskId, TimeSpan timeout) => PollValue.UntilAsync(
        () => Task.FromResult(Updates.LastOrDefault(u => u.TaskId == taskId && u.State.IsTerminal())),
        timeout, $"a terminal update of task {MesosIds.Show(taskId)}");

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!context.Request.IsWebSocketRequest)
            {
                context.Response.StatusCode = 400;
                context.Response.Close();
                continue;
            }

            var socket = (await context.AcceptWebSocketAsync(null)).WebSocket;
            _ = RunLinkAsync(socket);
        }
    }

    private async Task RunLinkAsync(WebSocket socket)
    {
        try
        {
            var hello = await LinkFrames.ReceiveAsync<AgentLinkMessage>(socket, _stop.Token);
            var agentId = hello?.Registration?.Agent.AgentId ?? "unknown";
            await LinkFrames.SendAsync(socket, new AgentLinkMessage(AgentLinkProtocol.Registered, Registered: new AgentRegistered(agentId, 1, [])), _stop.Token);
            _socket = socket;
            while (await LinkFrames.ReceiveAsync<AgentLinkMessage>(socket, _stop.Token) is { } message)
            {
                foreach (var update in message.Updates ?? [])
                {
                    _updates.Enqueue(update);
                    await SendAsync(new AgentCommand(AgentCommandTypes.Acknowledge, Acks: [new TaskAck(update.TaskId, update.FrameworkId, update.Uuid)]));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The test is over or the daemon went away.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        await _serve.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
