
namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

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
                Name = NameOf(launch.ContainerId),
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

    /// <summary>
    /// Finds a container an earlier run of the daemon was launching when it died, by the name its container id gives
    /// it: one that started (running, or ended since) is watched; one created and never started is removed, and with
    /// none this returns null — the task never ran.
    /// </summary>
    public async Task<DockerTaskContainer?> RecoverLaunchAsync(string containerId, string sandbox, CancellationToken cancellationToken = default)
    {
        try
        {
            if (await engine.InspectContainerAsync(NameOf(containerId), cancellationToken) is not { } container)
            {
                return null;
            }

            if (container.NeverStarted)
            {
                await engine.RemoveContainerAsync(container.Id, force: true, cancellationToken);
                return null;
            }

            return new DockerTaskContainer(engine, container.Id, sandbox);
        }
        catch (DockerEngineException ex)
        {
            throw new InvalidOperationException($"docker: {ex.Message}", ex);
        }
    }

    /// <summary>The name of the container of <paramref name="containerId"/>.</summary>
    public static string NameOf(string containerId) => $"orleansdcos-{containerId}";

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
