using OrleansDcos.NodeDaemon.Containerizers.Process;

namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

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
