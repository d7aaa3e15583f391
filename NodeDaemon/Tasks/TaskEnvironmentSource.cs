namespace OrleansDcos.NodeDaemon.Tasks;

/// <summary>What a task's environment is computed from.</summary>
/// <param name="TaskId">The task id (MESOS_TASK_ID).</param>
/// <param name="Host">The agent's hostname (HOST).</param>
/// <param name="Sandbox">The task's sandbox (MESOS_SANDBOX).</param>
/// <param name="Ports">Host ports given to the task, in order (PORT0…, PORTS, PORT).</param>
/// <param name="Cpus">CPU share.</param>
/// <param name="MemMb">Memory in MiB.</param>
/// <param name="DiskMb">Disk in MiB.</param>
/// <param name="Gpus">GPUs.</param>
/// <param name="FrameworkId">The framework, when known.</param>
/// <param name="AppId">The Marathon app id, for Marathon tasks.</param>
/// <param name="AppVersion">The Marathon app version.</param>
/// <param name="Labels">The app's labels.</param>
/// <param name="PortNames">Names of the ports (PORT_NAME), by index; null where unnamed.</param>
public sealed record TaskEnvironmentSource(
    string TaskId,
    string Host,
    string Sandbox,
    IReadOnlyList<int> Ports,
    double Cpus,
    double MemMb,
    double DiskMb = 0,
    int Gpus = 0,
    string? FrameworkId = null,
    string? AppId = null,
    string? AppVersion = null,
    IReadOnlyDictionary<string, string>? Labels = null,
    IReadOnlyList<string?>? PortNames = null);
