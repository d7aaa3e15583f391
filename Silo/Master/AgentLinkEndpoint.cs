using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansDcos.AgentLink;
using OrleansDcos.Grains.Concurrency;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The silo's end of the agent link (docs/agent-protocol.md): a WebSocket per node daemon. The first message
/// registers the agent; after that the daemon's heartbeats, status updates and log chunks go to its
/// <see cref="IAgentGrain"/>, and a pump fetches the grain's commands when it rings the link's doorbell and writes them out. When the grain
/// no longer knows the link (its silo died, or the agent went unreachable) the daemon is told to register again
/// and the socket is closed: it reconnects, to this or another gateway, and registers with what it runs.
/// </summary>
public static class AgentLinkEndpoint
{
    private const string UnknownLink = "the master does not know this link: register again";
    private static readonly TimeSpan RegistrationDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LookAnywayEvery = TimeSpan.FromSeconds(15);

    /// <summary>How long one call waits for a batch of updates to be durable (a call must answer well within its timeout).</summary>
    private static readonly TimeSpan PublishWait = TimeSpan.FromSeconds(10);

    /// <summary>Maps <see cref="AgentLinkProtocol.Path"/>.</summary>
    public static IEndpointRouteBuilder MapAgentLink(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map(AgentLinkProtocol.Path, HandleAsync);
        return endpoints;
    }

    /// <summary>The same link as an HTTP request (when <see cref="AgentLinkConnections"/> did not take the connection): refusals answer here.</summary>
    private static async Task HandleAsync(HttpContext context, IOptions<MasterOptions> options)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiResults.Error(context, StatusCodes.Status400BadRequest, $"{AgentLinkProtocol.Path} is a WebSocket endpoint for node daemons");
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (!Authorized(authorization, context.Connection.RemoteIpAddress, options.Value, LoginOn(context.RequestServices)))
        {
            await ApiResults.Error(context, StatusCodes.Status401Unauthorized, "the agent link needs a valid enrollment token (Authorization: Bearer <token>)");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await ServeAsync(socket, context.Connection.RemoteIpAddress, Presented(authorization), context.RequestAborted, context.RequestServices);
    }

    /// <summary>
    /// True when a request with <paramref name="authorization"/> from <paramref name="remote"/> may open an agent link.
    /// With login on: any bearer token (the join token or agent credential is judged with the agent id, after REGISTER).
    /// With login off: the configured <c>Master:AgentToken</c>, or a loopback caller when none is set.
    /// </summary>
    public static bool Authorized(string? authorization, IPAddress? remote, MasterOptions options, bool loginOn)
    {
        if (loginOn)
        {
            return Presented(authorization) is { Length: > 0 };
        }

        if (options.AgentToken is not { Length: > 0 } token)
        {
            return remote is not null && IPAddress.IsLoopback(remote);
        }

        return Presented(authorization) is { } presented
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(token));
    }

    /// <summary>True when this silo requires login (and so agent enrollment).</summary>
    public static bool LoginOn(IServiceProvider services) => services.GetService<Security.SecurityState>()?.Enforced == true;

    /// <summary>The bearer token of an <c>Authorization</c> header, or null.</summary>
    public static string? Presented(string? authorization)
    {
        const string Bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(Bearer, StringComparison.Ordinal) ? authorization[Bearer.Length..].Trim() : null;
    }

    /// <summary>
    /// Runs the link on an accepted <paramref name="socket"/> until it ends (<paramref name="aborted"/>: the connection is
    /// gone). With login on, the daemon's <paramref name="presented"/> token must admit the agent id it registers
    /// (<see cref="Grains.Security.IEnrollmentGrain"/>); a first enrollment hands it its credential in REGISTERED.
    /// </summary>
    public static async Task ServeAsync(WebSocket socket, IPAddress? remote, string? presented, CancellationToken aborted, IServiceProvider services)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AgentLinkEndpoint));
        var liveness = services.GetRequiredService<AgentLiveness>();
        var link = new Connection(socket, aborted, CancellationToken.None, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping, services.GetRequiredService<CoarseDelay>());
        var linkId = Guid.NewGuid();
        IAgentGrain? agent = null;
        Task? pump = null;
        try
        {
            AgentLinkMessage? hello;
            try
            {
                hello = await link.ReceiveFirstAsync(RegistrationDeadline);
            }
            catch (JsonException ex)
            {
                // The edge: a registration that does not read (malformed resources among them) is refused, saying why.
                await link.CloseAsync(AgentLinkProtocol.Error, $"the registration is not valid: {ex.Message}");
                return;
            }

            if (hello?.Type != AgentLinkProtocol.Register || hello.Registration is not { Agent: { } info } registration)
            {
                await link.CloseAsync(AgentLinkProtocol.Error, "the first message must be REGISTER with a registration");
                return;
            }

            if (MesosIds.Problem(info.AgentId, "agent_id") is { } badId)
            {
                await link.CloseAsync(AgentLinkProtocol.Error, badId);
                return;
            }

            string? credential = null;
            if (LoginOn(services))
            {
                var enrollment = await grains.GetGrain<Grains.Security.IEnrollmentGrain>(Grains.Security.IEnrollmentGrain.Key).Enroll(presented, info.AgentId);
                if (enrollment.Problem is { } refused)
                {
                    LinkLog.EnrollmentRefused(logger, info.AgentId, remote?.ToString() ?? "?", refused);
                    await link.CloseAsync(AgentLinkProtocol.Error, $"enrollment refused: {refused}");
                    return;
                }

                credential = enrollment.Credential;
            }

            registration = registration with { Agent = info with { Address = remote?.ToString() } };
            agent = grains.GetGrain<IAgentGrain>(info.AgentId);
            liveness.Linked(linkId, info.AgentId); // before the grain hears of it: it asks whether the link is on its silo
            AgentRegistered registered;
            try
            {
                registered = await agent.Register(registration, linkId);
            }
            catch (MasterValidationException ex)
            {
                await link.CloseAsync(AgentLinkProtocol.Error, ex.Message);
                return;
            }
            catch (Exception ex) when (Api.FailoverRetry.IsFailover(ex))
            {
                // The silo that hosts (or hosted) the agent is failing over: the daemon registers again, elsewhere if need be.
                LinkLog.RegistrationDuringFailover(logger, info.AgentId, linkId, ex.Message);
                agent = null;
                await link.CloseAsync(AgentLinkProtocol.Error, $"the master is failing over ({ex.Message}): register again");
                return;
            }

            liveness.Registered(linkId);
            await link.SendAsync(new AgentLinkMessage(AgentLinkProtocol.Registered, Registered: registered with { Credential = credential }));
            pump = PumpCommandsAsync(grains, agent, linkId, link, ex => LinkLog.PumpFailed(logger, ex, linkId));
            await ReadAsync(agent, linkId, link, liveness);
            await link.StopAsync();
            await pump;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or JsonException || Api.FailoverRetry.IsFailover(ex))
        {
            LinkLog.LinkEnded(logger, linkId, ex.Message);
        }
        finally
        {
            // The pump may still wait for its poll: the stop signal is unhooked from the host's tokens once it is done.
            liveness.Forget(linkId);
            await link.StopAsync();
            _ = (pump ?? Task.CompletedTask).ContinueWith(_ => link.Dispose(), TaskScheduler.Default);
            if (agent is not null)
            {
                try
                {
                    await agent.LinkClosed(linkId);
                }
                catch (Exception ex)
                {
                    LinkLog.AgentNotTold(logger, ex, linkId);
                }
            }
        }
    }

    /// <summary>
    /// Reads the daemon's messages. Status updates go to the grain one batch after another, but the reader does not
    /// wait for them (the grain answers only once the updates are on the durable stream): heartbeats behind them
    /// still arrive at once, so an agent whose updates wait for the database does not look silent.
    /// </summary>
    private static async Task ReadAsync(IAgentGrain agent, Guid linkId, Connection link, AgentLiveness liveness)
    {
        var updates = Task.CompletedTask;
        try
        {
            while (await link.ReceiveAsync(link.Stopping) is { } message)
            {
                // Heard now, whatever the grain's queue holds: silence is judged on this, not on the grain call.
                liveness.Heard(linkId);
                if (message.Type == AgentLinkProtocol.Update)
                {
                    updates = ForwardAfterAsync(updates, agent, linkId, link, message.Updates ?? []);
                    continue;
                }

                bool known;
                try
                {
                    known = message.Type switch
                    {
                        AgentLinkProtocol.Heartbeat => await agent.Heartbeat(linkId),
                        AgentLinkProtocol.LogData when message.Chunk is not null => await LogDataAsync(agent, linkId, message.Chunk),
                        _ => throw new JsonException($"unexpected message '{message.Type}' on a registered link"),
                    };
                }
                catch (Exception ex) when (Api.FailoverRetry.IsFailover(ex))
                {
                    // The agent's grain was on a silo that died (or is overloaded): the daemon registers again.
                    await link.CloseAsync(AgentLinkProtocol.Reregister, $"the master is failing over ({ex.GetType().Name}): register again");
                    return;
                }

                if (!known)
                {
                    await link.CloseAsync(AgentLinkProtocol.Reregister, UnknownLink);
                    return;
                }
            }
        }
        finally
        {
            await updates.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private static async Task ForwardAfterAsync(Task previous, IAgentGrain agent, Guid linkId, Connection link, IReadOnlyList<TaskStatusUpdate> batch)
    {
        await previous;
        if (link.Stopping.IsCancellationRequested)
        {
            return;
        }

        string? why;
        try
        {
            var ticket = await agent.StatusUpdates(linkId, batch);
            bool? published = false;
            while (ticket >= 0 && published == false && !link.Stopping.IsCancellationRequested)
            {
                published = await agent.Published(linkId, ticket, PublishWait);
            }

            why = ticket < 0 ? UnknownLink : published is null ? "the master could not publish status updates: register again" : null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Not taken (the grain's silo died, or the call timed out): the daemon resends them on its next link.
            why = $"the master could not take status updates ({ex.GetType().Name}): register again";
        }

        if (why is not null)
        {
            await link.CloseAsync(AgentLinkProtocol.Reregister, why);
        }
    }

    private static async Task<bool> LogDataAsync(IAgentGrain agent, Guid linkId, LogChunk chunk)
    {
        await agent.LogData(linkId, chunk);
        return true;
    }

    /// <summary>
    /// Sends the agent's commands down the link: fetches them (without waiting) whenever the agent grain rings the link's
    /// doorbell, and looks anyway every <see cref="LookAnywayEvery"/> in case a ring was lost (or the agent grain moved and
    /// no longer knows this link: the fetch then says to register again).
    /// </summary>
    private static async Task PumpCommandsAsync(IGrainFactory grains, IAgentGrain agent, Guid linkId, Connection link, Action<Exception>? pumpFailed)
    {
        await Task.Yield();
        var doorbell = new CommandDoorbell(link.Delays);
        var reference = grains.CreateObjectReference<IAgentCommandDoorbell>(doorbell);
        using var stopped = link.Stopping.Register(static d => ((CommandDoorbell)d!).Ring(), doorbell); // a stop ends the wait
        var cursor = 0L;
        try
        {
            var watched = false;
            while (!link.Stopping.IsCancellationRequested)
            {
                doorbell.Reset(); // before the fetch: a ring during it makes the next wait end at once
                watched = watched || await agent.WatchCommands(linkId, reference);
                var batch = await agent.PollCommands(linkId, cursor);
                if (batch.Reregister || !watched)
                {
                    await link.CloseAsync(AgentLinkProtocol.Reregister, UnknownLink);
                    return;
                }

                if (batch.Commands.Count > 0)
                {
                    await link.SendAsync(new AgentLinkMessage(AgentLinkProtocol.Commands, Commands: batch.Commands));
                    cursor = batch.Cursor;
                    continue;
                }

                cursor = batch.Cursor;
                await doorbell.WaitAsync(LookAnywayEvery);
            }
        }
        catch (Exception ex)
        {
            // The socket or the grain's silo went away (or anything else stopped the pump): a link that cannot
            // deliver commands must not look alive — close it so the daemon reconnects and registers again.
            if (ex is not (OperationCanceledException or WebSocketException) && !Api.FailoverRetry.IsFailover(ex))
            {
                pumpFailed?.Invoke(ex);
            }

            await link.CloseAsync(AgentLinkProtocol.Reregister, "the link broke: register again");
        }
        finally
        {
            grains.DeleteObjectReference<IAgentCommandDoorbell>(reference);
        }
    }

    /// <summary>The link's side of <see cref="IAgentCommandDoorbell"/>: a ring ends the pump's wait (or the next one, if it came during a fetch).</summary>
    private sealed class CommandDoorbell(CoarseDelay delays) : IAgentCommandDoorbell
    {
        private volatile TaskCompletionSource _rung = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Ring()
        {
            _rung.TrySetResult();
            return Task.CompletedTask;
        }

        public void Reset()
        {
            if (_rung.Task.IsCompleted)
            {
                _rung = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        /// <summary>Until a ring, or <paramref name="timeout"/> (on the shared ticker: no timer per link).</summary>
        public Task WaitAsync(TimeSpan timeout) => Task.WhenAny(_rung.Task, delays.For(timeout));
    }

    /// <summary>One socket: serialized sends, JSON messages, and a stop signal shared by the reader and the pump.</summary>
    private sealed class Connection(WebSocket socket, CancellationToken aborted, CancellationToken cut, CancellationToken stopping, CoarseDelay delays)
    {
        /// <summary>The silo's shared ticker for the link's waits.</summary>
        public CoarseDelay Delays => delays;

        private readonly LinkSender _sender = new(socket);
        private readonly CancellationTokenSource _stopping = CancellationTokenSource.CreateLinkedTokenSource(aborted, cut, stopping);

        public CancellationToken Stopping => _stopping.Token;

        /// <summary>The first message, which must come within <paramref name="deadline"/> (the timer goes with it: an idle link holds none).</summary>
        public async Task<AgentLinkMessage?> ReceiveFirstAsync(TimeSpan deadline)
        {
            using var first = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
            first.CancelAfter(deadline);
            return await ReceiveAsync(first.Token);
        }

        public Task<AgentLinkMessage?> ReceiveAsync(CancellationToken cancellationToken) =>
            LinkFrames.ReceiveAsync<AgentLinkMessage>(socket, cancellationToken);

        public Task SendAsync(AgentLinkMessage message) => _sender.SendAsync(message, Stopping);

        public async Task CloseAsync(string type, string message)
        {
            try
            {
                await SendAsync(new AgentLinkMessage(type, Message: message));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, type, CancellationToken.None);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Already gone.
            }
            finally
            {
                await StopAsync();
            }
        }

        public Task StopAsync() => _stopping.CancelAsync();

        /// <summary>Unhooks the stop signal from the connection, network and host tokens.</summary>
        public void Dispose() => _stopping.Dispose();
    }
}
