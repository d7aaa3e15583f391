using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansDcos.Runtime.Membership;

/// <summary>
/// Runs this silo's membership: joins (Joining → check peers → Active, and declares its own older
/// generations dead), writes I-am-alive, rereads the table on change notifications and periodically,
/// probes its successors on the ring (directly, then through a peer) and votes them dead, and fences
/// itself — stops serving and calls the fatal-error handler — when it reads itself Dead or has not
/// reached the table for a lease. On a graceful stop it marks itself Dead so peers know at once.
/// </summary>
internal sealed partial class MembershipAgent(
    IMembershipTable table,
    ClusterMembership membership,
    OrleansDcos.Runtime.Activation.Catalog catalog,
    SiloNetwork network,
    IFatalErrorHandler fatal,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<MembershipOptions> options,
    TimeProvider time,
    ILogger<MembershipAgent> logger) : BackgroundService
{
    private readonly MembershipOptions _options = options.Value;
    private readonly ConcurrentDictionary<SiloAddress, int> _missed = new();
    private readonly HttpClient _probes = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SemaphoreSlim _refreshSignal = new(0, int.MaxValue);
    private DateTimeOffset _lastTableContact;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Join once the server listens: the silo's address is the address it serves on.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var self = ResolveAddress();
        membership.SetSelf(self);
        await JoinAsync(self, stoppingToken);
        await Task.WhenAll(
            LoopAsync(_options.IAmAliveInterval, () => WriteIAmAliveAsync(self, stoppingToken), stoppingToken),
            LoopAsync(_options.ProbeInterval, () => ProbeAsync(self, stoppingToken), stoppingToken),
            RefreshLoopAsync(self, stoppingToken),
            table.ListenAsync(() => _refreshSignal.Release(), stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (membership.Self is { } self && !network.Killed && membership.FencedBecause is null)
        {
            // Leave gracefully: peers see Dead at once instead of probing for seconds. Best effort: if the
            // table is out of reach, the peers' probes find out instead.
            try
            {
                await MarkAsync(self, SiloStatus.Dead, [], CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.TableUnreachable(logger, ex);
            }
        }
    }

    public override void Dispose()
    {
        _probes.Dispose();
        base.Dispose();
    }

    private SiloAddress ResolveAddress()
    {
        // An in-process test server has no address: it can only be a cluster of one.
        var url = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:0";
        var uri = new Uri(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" ? Environment.MachineName : uri.Host;
        return new SiloAddress(host, uri.Port, time.GetUtcNow().UtcTicks);
    }

    private async Task JoinAsync(SiloAddress self, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var entry = new MembershipEntry(self, SiloStatus.Joining, $"silo-{self.Host}-{self.Port}", now, now);
        MembershipSnapshot snapshot;
        do
        {
            snapshot = await table.ReadAllAsync(cancellationToken);
        }
        while (!await table.InsertAsync(entry, snapshot.Version, cancellationToken));

        // A restart on the same endpoint is a new member: the old generation is dead.
        foreach (var older in snapshot.Entries.Where(e => e.Silo.SameEndpoint(self) && e.Silo.Generation < self.Generation && e.Status != SiloStatus.Dead))
        {
            await MarkAsync(older.Silo, SiloStatus.Dead, older.SuspectTimes, cancellationToken);
        }

        // Check we reach the active silos; one we cannot reach gets our vote instead of blocking the join.
        foreach (var peer in snapshot.ActiveSilos.Where(p => p != self))
        {
            if (!await ProbeDirectAsync(peer, cancellationToken))
            {
                Log.PeerUnreachableOnJoin(logger, self, peer);
                await SuspectAsync(self, peer, cancellationToken);
            }
        }

        await MarkAsync(self, SiloStatus.Active, [], cancellationToken);
        _lastTableContact = time.GetUtcNow();
        membership.Publish(await table.ReadAllAsync(cancellationToken));
        Log.Joined(logger, self, membership.Current.ActiveSilos.Count);
    }

    /// <summary>Sets a row's status (compare-and-swap, retried on a lost race). Dead rows stay dead.</summary>
    private async Task MarkAsync(SiloAddress silo, SiloStatus status, IReadOnlyList<SuspectVote> votes, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 20 && !network.Killed; attempt++)
        {
            var snapshot = await table.ReadAllAsync(cancellationToken);
            var entry = snapshot.Find(silo);
            if (entry is null || entry.Status == SiloStatus.Dead
                || await table.UpdateAsync(entry with { Status = status, SuspectTimes = votes }, snapshot.Version, cancellationToken))
            {
                return;
            }
        }
    }

    private async Task WriteIAmAliveAsync(SiloAddress self, CancellationToken cancellationToken)
    {
        if (network.Killed)
        {
            return;
        }

        await table.UpdateIAmAliveAsync(self, time.GetUtcNow(), catalog.Count, cancellationToken);
        _lastTableContact = time.GetUtcNow();
    }

    private async Task RefreshLoopAsync(SiloAddress self, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && !network.Killed)
        {
            try
            {
                await _refreshSignal.WaitAsync(_options.TableRefreshInterval, cancellationToken);
                var snapshot = await table.ReadAllAsync(cancellationToken);
                _lastTableContact = time.GetUtcNow();
                membership.Publish(snapshot);
                var own = snapshot.Find(self);
                if (own is null || own.Status == SiloStatus.Dead)
                {
                    Fence($"the membership table says {self} is {(own is null ? "not a member" : "Dead")}");
                    return;
                }

                await table.CleanupAsync(time.GetUtcNow() - _options.DefunctSiloExpiration, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.TableUnreachable(logger, ex);
            }

            if (time.GetUtcNow() - _lastTableContact > _options.LeaseDuration)
            {
                Fence($"{self} could not reach the membership table for {_options.LeaseDuration.TotalSeconds:0} s");
                return;
            }
        }
    }

    private async Task ProbeAsync(SiloAddress self, CancellationToken cancellationToken)
    {
        var snapshot = membership.Current;
        foreach (var target in MembershipRules.ProbeTargets(snapshot, self, _options.NumProbedSilos))
        {
            if (await ProbeDirectAsync(target, cancellationToken))
            {
                _missed.TryRemove(target, out _);
                continue;
            }

            if (_missed.AddOrUpdate(target, 1, (_, n) => n + 1) < _options.NumMissedProbesLimit)
            {
                continue;
            }

            // Missed too often: ask another silo whether it reaches the target before voting.
            var intermediary = snapshot.ActiveSilos.FirstOrDefault(s => s != self && s != target);
            if (intermediary != default && await ProbeIndirectAsync(intermediary, target, cancellationToken))
            {
                continue;
            }

            Log.Suspecting(logger, self, target, _missed[target]);
            await SuspectAsync(self, target, cancellationToken);
        }
    }

    private async Task SuspectAsync(SiloAddress self, SiloAddress target, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10 && !network.Killed; attempt++)
        {
            var snapshot = await table.ReadAllAsync(cancellationToken);
            var (outcome, votes) = MembershipRules.Suspect(snapshot, self, target, time.GetUtcNow(), _options);
            if (outcome == SuspicionOutcome.None)
            {
                return;
            }

            var entry = snapshot.Find(target)!;
            var status = outcome == SuspicionOutcome.DeclareDead ? SiloStatus.Dead : entry.Status;
            if (await table.UpdateAsync(entry with { Status = status, SuspectTimes = votes }, snapshot.Version, cancellationToken))
            {
                if (status == SiloStatus.Dead)
                {
                    Log.DeclaredDead(logger, self, target, votes.Count);
                }

                membership.Publish(await table.ReadAllAsync(cancellationToken));
                return;
            }
        }
    }

    /// <summary>GET /silo/ping on the target: it must answer with exactly its own identity (same generation).</summary>
    internal async Task<bool> ProbeDirectAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        if (network.Partitioned || network.Killed)
        {
            return false;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ProbeTimeout);
            var answer = await _probes.GetStringAsync(new Uri(target.Endpoint, "silo/ping"), timeout.Token);
            return answer == target.ToString();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> ProbeIndirectAsync(SiloAddress intermediary, SiloAddress target, CancellationToken cancellationToken)
    {
        if (network.Partitioned || network.Killed)
        {
            return false;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ProbeTimeout * 2);
            using var response = await _probes.GetAsync(new Uri(intermediary.Endpoint, $"silo/probe?target={Uri.EscapeDataString(target.ToString())}"), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TaskCanceledException)
        {
            return false;
        }
    }

    private void Fence(string reason)
    {
        if (membership.Fence(reason))
        {
            Log.Fenced(logger, reason);
            fatal.OnFatalError(reason);
        }
    }

    private async Task LoopAsync(TimeSpan interval, Func<Task> step, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken) && !network.Killed && membership.FencedBecause is null)
            {
                try
                {
                    await step();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.TableUnreachable(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1301, LogLevel.Information, "Silo {Silo} joined the cluster ({Active} active silos)")]
        public static partial void Joined(ILogger logger, SiloAddress silo, int active);

        [LoggerMessage(1302, LogLevel.Warning, "Silo {Silo} cannot reach {Peer} while joining; voting it dead")]
        public static partial void PeerUnreachableOnJoin(ILogger logger, SiloAddress silo, SiloAddress peer);

        [LoggerMessage(1303, LogLevel.Warning, "Silo {Silo} suspects {Target} after {Missed} missed probes")]
        public static partial void Suspecting(ILogger logger, SiloAddress silo, SiloAddress target, int missed);

        [LoggerMessage(1304, LogLevel.Warning, "Silo {Silo} declared {Target} dead ({Votes} votes)")]
        public static partial void DeclaredDead(ILogger logger, SiloAddress silo, SiloAddress target, int votes);

        [LoggerMessage(1305, LogLevel.Critical, "Silo fenced: {Reason}; it stops serving")]
        public static partial void Fenced(ILogger logger, string reason);

        [LoggerMessage(1306, LogLevel.Warning, "Membership table unreachable; retrying")]
        public static partial void TableUnreachable(ILogger logger, Exception exception);
    }
}
