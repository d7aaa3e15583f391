using OrleansDcos.NodeDaemon.Containerizers.Process;

namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>What a Docker task runs.</summary>
/// <param name="ContainerId">The agent's id for the container (its Docker name is <c>orleansdcos-{ContainerId}</c>).</param>
/// <param name="TaskId">The task (a label, so the daemon finds its containers again).</param>
/// <param name="Image">The image; it must be present unless <paramref name="ForcePull"/>.</param>
/// <param name="ForcePull">Pull the image first (a clear failure when no registry answers).</param>
/// <param name="Command">The command: a shell line, an argv, or null for the image's own.</param>
/// <param name="Sandbox">The task's sandbox on the host: mounted at <c>/mnt/mesos/sandbox</c>; stdout and stderr are copied there.</param>
public sealed record DockerLaunch(
    string ContainerId,
    string TaskId,
    string Image,
    bool ForcePull,
    ContainerCommand? Command,
    string Sandbox,
    IReadOnlyDictionary<string, string> Environment,
    double Cpus,
    long MemoryBytes,
    IReadOnlyList<string> Binds);

/// <summary>
/// Runs tasks as Docker containers through the Engine API: host networking, cpu and memory limits, the task's
/// environment, labels carrying the agent and task ids (found again after a daemon restart), host-path volumes
/// and the sandbox mounted in; the container's logs are copied into the sandbox; its exit code is its end; a kill
/// is <c>docker stop</c> with the grace period. Images are never pulled unless the task asks.
/// </summary>
public sealed class DockerContainerizer(DockerEngineClient engine, string agentId)
{
    /// <summary>The label naming the agent that runs a container.</summary>
    public const string AgentLabel = "orleansdcos.agent";

    /// <summary>The label naming a container's task.</summary>
    public const string TaskLabel = "orleansdcos.task";

    /// <summary>Where the sandbox is mounted in the container.</summary>
    public const string SandboxMount = "/mnt/mesos/sandbox";

    /// <summary>Creates and starts the container.</summary>
    /// <exception cref="InvalidOperationException">The image is missing (and no pull was asked), the pull failed, or the engine refused the container.</exception>
    public async Task<DockerTaskContainer> LaunchAsync(DockerLaunch launch, CancellationToken cancellationToken = default)
    {
        try
        {
            if (launch.ForcePull)
            {
                await engine.PullImageAsync(launch.Image, cancellationToken);
            }
            else if (!await engine.ImageExistsAsync(launch.Image, cancellationToken))
            {
                throw new InvalidOperationException($"image {launch.Image} is not on this agent and the task does not ask to pull it (force_pull_image)");
            }

            var environment = new Dictionary<string, string>(launch.Environment) { ["MESOS_SANDBOX"] = SandboxMount };
            var id = await engine.CreateContainerAsync(new DockerContainerSpec(launch.Image, launch.Command?.ToArgv() ?? [])
            {
                Name = $"orleansdcos-{launch.ContainerId}",
                Environment = environment,
                Labels = new Dictionary<string, string> { [AgentLabel] = agentId, [TaskLabel] = launch.TaskId },
                MemoryBytes = launch.MemoryBytes,
                NanoCpus = (long)(launch.Cpus * 1_000_000_000),
                Binds = [$"{launch.Sandbox}:{SandboxMount}", .. launch.Binds],
            }, cancellationToken);
            await engine.StartContainerAsync(id, cancellationToken);
            return new DockerTaskContainer(engine, id, launch.Sandbox);
        }
        catch (DockerEngineException ex)
        {
            throw new InvalidOperationException($"docker: {ex.Message}", ex);
        }
    }

    /// <summary>Watches a container started by an earlier run of the daemon (it may have ended meanwhile).</summary>
    public DockerTaskContainer Recover(string dockerId, string sandbox) => new(engine, dockerId, sandbox);

    /// <summary>Stops and removes this agent's containers that no task record accounts for.</summary>
    public async Task<IReadOnlyList<string>> KillOrphansAsync(IReadOnlySet<string> known, CancellationToken cancellationToken = default)
    {
        var orphans = (await engine.ListContainersByLabelAsync(AgentLabel, agentId, cancellationToken)).Where(id => !known.Contains(id)).ToArray();
        foreach (var id in orphans)
        {
            await engine.RemoveContainerAsync(id, force: true, cancellationToken);
        }

        return orphans;
    }
}

/// <summary>One task's Docker container.</summary>
public sealed class DockerTaskContainer
{
    private readonly DockerEngineClient _engine;
    private readonly string _sandbox;
    private readonly CancellationTokenSource _ended = new();
    private volatile bool _killed;

    internal DockerTaskContainer(DockerEngineClient engine, string id, string sandbox)
    {
        _engine = engine;
        _sandbox = sandbox;
        Id = id;
        _ = CopyLogsWhileRunningAsync();
        Exited = EndAsync();
    }

    /// <summary>The Docker container id.</summary>
    public string Id { get; }

    /// <summary>Completes when the container has stopped (its logs copied, the container removed).</summary>
    public Task<ContainerExit> Exited { get; }

    /// <summary><c>docker stop</c>: SIGTERM, SIGKILL after <paramref name="grace"/>.</summary>
    public async Task<ContainerExit> KillAsync(TimeSpan grace)
    {
        _killed = true;
        try
        {
            await _engine.StopContainerAsync(Id, grace);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            // Already gone.
        }

        return await Exited;
    }

    private async Task<ContainerExit> EndAsync()
    {
        long code;
        try
        {
            code = await _engine.WaitContainerAsync(Id);
        }
        catch (DockerEngineException ex) when (ex.IsNotFound)
        {
            await _ended.CancelAsync();
            return new ContainerExit(null, null, false, _killed, "the container is gone: the agent cannot say how it ended");
        }

        await _ended.CancelAsync();
        await CopyLogsAsync();
        try
        {
            await _engine.RemoveContainerAsync(Id, force: true);
        }
        catch (DockerEngineException)
        {
            // Left for the orphan sweep.
        }

        return code is > 128 and < 160
            ? new ContainerExit(null, (int)code - 128, false, _killed, $"the container was terminated by signal {code - 128}")
            : new ContainerExit((int)code, null, false, _killed, code == 0 ? "the container exited with code 0" : SandboxStderr.Explain($"the container exited with code {code}", _sandbox));
    }

    /// <summary>The engine keeps the logs; the sandbox gets a copy every second so they can be read while it runs.</summary>
    private async Task CopyLogsWhileRunningAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_ended.Token))
            {
                await CopyLogsAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // Ended.
        }
    }

    private async Task CopyLogsAsync()
    {
        try
        {
            var logs = await _engine.GetLogsAsync(Id);
            await File.WriteAllTextAsync(Path.Combine(_sandbox, "stdout"), logs.Stdout);
            await File.WriteAllTextAsync(Path.Combine(_sandbox, "stderr"), logs.Stderr);
        }
        catch (Exception ex) when (ex is DockerEngineException or IOException or HttpRequestException)
        {
            // The next copy (or the final one) catches up.
        }
    }
}
