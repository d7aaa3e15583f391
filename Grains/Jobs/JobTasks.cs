using System.Globalization;
using OrleansDcos.AgentLink;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Jobs;

/// <summary>A run's Mesos task, as Chronos builds it: the command (shell or arguments), the container, Chronos' environment, the fetched URIs.</summary>
public static class JobTasks
{
    /// <summary>The task of <paramref name="launch"/> on the resources placement assigned, with the values of its secret variables.</summary>
    public static TaskSpec TaskOf(JobLaunch launch, Resources resources, IReadOnlyDictionary<string, string>? secretValues = null)
    {
        var job = launch.Job;
        var id = launch.TaskId.Split(':'); // ct:<due ms>:<attempt>:<job>
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CHRONOS_JOB_NAME"] = job.Name,
            ["CHRONOS_JOB_OWNER"] = job.Owner,
            ["CHRONOS_JOB_RUN_TIME"] = id[1],
            ["CHRONOS_JOB_RUN_ATTEMPT"] = id[2],
            ["CHRONOS_RESOURCE_CPU"] = job.Cpus.ToString(CultureInfo.InvariantCulture),
            ["CHRONOS_RESOURCE_MEM"] = job.Mem.ToString(CultureInfo.InvariantCulture),
            ["CHRONOS_RESOURCE_DISK"] = job.Disk.ToString(CultureInfo.InvariantCulture),
            ["mesos_task_id"] = launch.TaskId,
        };
        foreach (var variable in (job.EnvironmentVariables ?? []).Where(v => v.Secret is null))
        {
            env[variable.Name] = variable.Value;
        }

        var (secrets, missing) = Security.SecretResolution.Split(
            (job.EnvironmentVariables ?? []).Where(v => v.Secret is not null).Select(v => KeyValuePair.Create(v.Name, v.Secret!)), secretValues);

        var arguments = (job.Arguments ?? []).Concat(launch.Arguments ?? []).ToList();
        // A shell command gets the run's arguments appended; otherwise the command is argv[0] (none: the image's entrypoint).
        var command = job.Shell && job.Command.Length > 0
            ? new CommandSpec(arguments.Count == 0 ? job.Command : string.Join(' ', [job.Command, .. arguments]), Shell: true)
            : new CommandSpec(null, Shell: false, Arguments: job.Command.Length == 0 ? arguments : [job.Command, .. arguments]);
        command = command with
        {
            Environment = env,
            Uris = [.. (job.Fetch ?? []).Select(f => new UriSpec(f.Uri, f.Extract, f.Executable, f.Cache, f.OutputFile))],
            User = job.RunAsUser,
        };
        var docker = job.Container is { Type: "DOCKER", Image: { } image } container
            ? new DockerSpec(image, container.ForcePullImage, [.. (container.Volumes ?? []).Select(v => new VolumeSpec(v.HostPath, v.ContainerPath, v.Mode))])
            : null;
        var role = resources.Roles.FirstOrDefault(r => r != Resource.AnyRole) ?? Resource.AnyRole;
        return new TaskSpec(launch.TaskId, $"ChronosTask:{job.Name}", JobKeys.FrameworkId, role, resources, command, docker, Secrets: secrets, MissingSecrets: missing);
    }
}
