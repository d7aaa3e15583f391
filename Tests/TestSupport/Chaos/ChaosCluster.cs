using System.Collections.Concurrent;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// The machines of a chaos soak: three cluster-mode silo processes on 127.0.0.2–4 over a PostgreSQL server of the
/// soak's own, and node daemon processes (hostnames <c>chaos-NN</c>, racks r0–r3) that know all three gateways. It
/// kills one of them with SIGKILL and starts it again after a pause, crashes PostgreSQL and starts it again, and
/// watches for a silo that ended without being killed.
/// </summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    private const string AgentToken = "chaos-agents";
    private static readonly string[] Hosts = ["127.0.0.2", "127.0.0.3", "127.0.0.4"];

    private readonly PostgresServer _postgres;
    private readonly SiloProcess[] _silos;
    private readonly DaemonProcess?[] _daemons;
    private readonly List<DaemonProcess> _killedDaemons = [];
    private readonly string[] _daemonWork;
    private readonly ConcurrentDictionary<string, bool> _down = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _crashes = new();
    private readonly List<Task> _restarts = [];
    private readonly List<string>[] _siloLogs = [[], [], []];
    private readonly Action<string> _print;
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;

    private ChaosCluster(PostgresServer postgres, SiloProcess[] silos, int daemons, string workRoot, Action<string> print)
    {
        _postgres = postgres;
        _silos = silos;
        _daemons = new DaemonProcess?[daemons];
        _daemonWork = [.. Enumerable.Range(0, daemons).Select(i => Path.Combine(workRoot, $"agent-{i:00}"))];
        _print = print;
    }

    /// <summary>The silos' API addresses.</summary>
    public IReadOnlyList<Uri> Silos => [.. _silos.Select(s => s.BaseAddress)];

    /// <summary>Silos that ended without being killed, each with the tail of its output: must be none.</summary>
    public IReadOnlyCollection<string> Crashes => _crashes;

    /// <summary>Kills done, by kind.</summary>
    public int SiloKills { get; private set; }

    /// <summary>Node daemon kills done.</summary>
    public int DaemonKills { get; private set; }

    /// <summary>PostgreSQL crashes done.</summary>
    public int PostgresRestarts { get; private set; }

    /// <summary>Starts PostgreSQL, the silos and <paramref name="daemons"/> node daemons; each daemon's state goes under <paramref name="workRoot"/>.</summary>
    public static async Task<ChaosCluster> StartAsync(int daemons, string workRoot, Action<string> print, CancellationToken cancellationToken)
    {
        var postgres = await PostgresServer.StartAsync(cancellationToken);
        var silos = new List<SiloProcess>();
        try
        {
            foreach (var host in Hosts)
            {
                silos.Add(await SiloProcess.StartClusterMemberAsync(host, postgres.ConnectionString, "chaos", $"--Master:AgentToken={AgentToken}"));
            }
        }
        catch
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }

            await postgres.DisposeAsync();
            throw;
        }

        var cluster = new ChaosCluster(postgres, [.. silos], daemons, workRoot, print);
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, daemons), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
                async (i, _) => cluster._daemons[i] = await cluster.StartDaemonAsync(i));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        cluster._watch = cluster.WatchAsync();
        return cluster;
    }

    /// <summary>An API address of a silo not known to be down (any when all are), chosen by <paramref name="random"/>.</summary>
    public Uri AnySilo(Random random)
    {
        var up = _silos.Where(s => !_down.ContainsKey(Key(s))).ToArray();
        var from = up.Length > 0 ? up : _silos;
        lock (random)
        {
            return from[random.Next(from.Length)].BaseAddress;
        }
    }

    /// <summary>
    /// Kills one silo (when no other is down, with probability <paramref name="siloShare"/>) or one node daemon not
    /// already down with SIGKILL, and starts it again after a pause of 1–8 s, in the background.
    /// </summary>
    public void KillOne(Random random, double siloShare)
    {
        int slot;
        bool silo;
        int pauseMs;
        lock (random)
        {
            silo = random.NextDouble() < siloShare && !_silos.Any(s => _down.ContainsKey(Key(s)));
            var candidates = silo
                ? [.. Enumerable.Range(0, _silos.Length)]
                : Enumerable.Range(0, _daemons.Length).Where(i => !_down.ContainsKey($"daemon-{i}")).ToArray();
            if (candidates.Length == 0)
            {
                return;
            }

            slot = candidates[random.Next(candidates.Length)];
            pauseMs = random.Next(1000, 8000);
        }

        Task restart;
        if (silo)
        {
            var victim = _silos[slot];
            _down[Key(victim)] = true;
            SiloKills++;
            _print($"chaos: SIGKILL silo {victim.BaseAddress} (back in {pauseMs} ms)");
            restart = Task.Run(async () =>
            {
                KeepLog(slot);
                await victim.RestartAsync(TimeSpan.FromMilliseconds(pauseMs));
                _down.TryRemove(Key(victim), out _);
            });
        }
        else
        {
            var victim = _daemons[slot]!;
            _down[$"daemon-{slot}"] = true;
            DaemonKills++;
            _print($"chaos: SIGKILL node daemon chaos-{slot:00} (back in {pauseMs} ms)");
            restart = Task.Run(async () =>
            {
                await victim.KillHardAsync();
                lock (_killedDaemons)
                {
                    _killedDaemons.Add(victim);
                }

                await Task.Delay(pauseMs);
                _daemons[slot] = await StartDaemonAsync(slot);
                _down.TryRemove($"daemon-{slot}", out _);
            });
        }

        lock (_restarts)
        {
            _restarts.Add(restart);
        }
    }

    /// <summary>
    /// The warnings and errors the silos logged (all their lives, restarts included), each with its message line, at
    /// most <paramref name="limit"/>: what explains a violation.
    /// </summary>
    public IReadOnlyList<string> SiloProblems(int limit) => SiloLines(
        line => line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal), limit);

    /// <summary>The silos' log entries (all their lives) whose header or message line mentions one of <paramref name="subjects"/>, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<string> SiloLinesAbout(IReadOnlyCollection<string> subjects, int limit) => subjects.Count == 0 ? [] : SiloLines(
        line => line.StartsWith("info:", StringComparison.Ordinal) || line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal),
        limit, message => subjects.Any(s => message.Contains(s, StringComparison.Ordinal)));

    private List<string> SiloLines(Func<string, bool> header, int limit, Func<string, bool>? about = null)
    {
        var lines = new List<string>();
        for (var slot = 0; slot < _silos.Length; slot++)
        {
            List<string> log;
            lock (_siloLogs)
            {
                log = [.. _siloLogs[slot], .. _silos[slot].Output];
            }

            for (var i = 0; i < log.Count && lines.Count < limit; i++)
            {
                var entry = $"{log[i]} {(i + 1 < log.Count ? log[i + 1].Trim() : "")}";
                if (header(log[i]) && (about is null || about(entry)))
                {
                    lines.Add($"silo {slot}: {entry}");
                }
            }
        }

        return lines;
    }

    private void KeepLog(int slot)
    {
        lock (_siloLogs)
        {
            _siloLogs[slot].AddRange(_silos[slot].Output);
        }
    }

    /// <summary>Crashes PostgreSQL (immediate stop), waits <paramref name="down"/>, and starts it again.</summary>
    public async Task RestartPostgresAsync(TimeSpan down, CancellationToken cancellationToken)
    {
        PostgresRestarts++;
        _print($"chaos: PostgreSQL stopped (immediate) for {down.TotalSeconds:0.0} s");
        await _postgres.CrashAsync(cancellationToken);
        await Task.Delay(down, cancellationToken);
        await _postgres.StartServerAsync(cancellationToken);
        _print("chaos: PostgreSQL is back");
    }

    /// <summary>Waits until every killed process is running again (restarts that failed are rethrown).</summary>
    public async Task AllBackAsync()
    {
        Task[] pending;
        lock (_restarts)
        {
            pending = [.. _restarts];
        }

        await Task.WhenAll(pending);
    }

    private Task<DaemonProcess> StartDaemonAsync(int i)
    {
        Directory.CreateDirectory(_daemonWork[i]);
        var first = 30100 + (i * 50);
        return DaemonProcess.StartAsync(_silos[i % _silos.Length].BaseAddress, _daemonWork[i], $"cpus:1;mem:1024;disk:1000;ports:[{first}-{first + 49}]",
            $"--Daemon:Gateways:1={_silos[(i + 1) % _silos.Length].BaseAddress}", $"--Daemon:Gateways:2={_silos[(i + 2) % _silos.Length].BaseAddress}",
            $"--Daemon:Token={AgentToken}", $"--Daemon:Hostname=chaos-{i:00}", $"--Daemon:Attributes=rack:r{i % 4}");
    }

    private async Task WatchAsync()
    {
        var reported = new HashSet<string>(StringComparer.Ordinal);
        while (!_stop.IsCancellationRequested)
        {
            foreach (var silo in _silos)
            {
                // A silo restarting is marked down before it is killed and unmarked once it listens again (its
                // process object is replaced meanwhile: a read that meets the old one disposed is skipped).
                try
                {
                    if (!_down.ContainsKey(Key(silo)) && silo.HasExited && !_down.ContainsKey(Key(silo)) && reported.Add($"{Key(silo)}:{silo.ProcessId}"))
                    {
                        _crashes.Enqueue($"silo {silo.BaseAddress} (pid {silo.ProcessId}) ended by itself:{Environment.NewLine}{silo.OutputTail(30)}");
                    }
                }
                catch (InvalidOperationException)
                {
                    // Being replaced.
                }
            }

            try
            {
                await Task.Delay(500, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static string Key(SiloProcess silo) => silo.BaseAddress.ToString();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Quietly("the crash watch", () => _watch);
        await Quietly("a restart", AllBackAsync);

        // Each process goes (and what it left) even when another's cleanup fails.
        foreach (var daemon in _daemons.Concat(_killedDaemons))
        {
            if (daemon is not null)
            {
                await Quietly("a node daemon", () => daemon.DisposeAsync().AsTask());
            }
        }

        foreach (var silo in _silos)
        {
            await Quietly("a silo", () => silo.DisposeAsync().AsTask());
        }

        await Quietly("PostgreSQL", () => _postgres.DisposeAsync().AsTask());
        _stop.Dispose();
    }

    private async Task Quietly(string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (Exception ex)
        {
            _print($"chaos: cleaning up {what} failed: {ex.Message}");
        }
    }
}
