using System.Globalization;
using OrleansDcos.AgentLink;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Marathon.Scheduler;

/// <summary>
/// A pod instance as a Mesos task group: one task per container (<c>{instance}.{container}</c>), each with its share
/// of the instance's resources (the executor's go with the first container), its endpoints' host ports, the pod's and
/// its own environment (ENDPOINT_{NAME} for every endpoint of the pod), its volume mounts (ephemeral volumes are a
/// directory of the group, host volumes a path of the agent) and its health check, run by the agent.
/// </summary>
internal static class PodTasks
{
    /// <summary>The tasks of <paramref name="instance"/> of pod <paramref name="app"/>.</summary>
    public static IReadOnlyList<TaskSpec> Of(InstanceRecord instance, AppDefinition app)
    {
        var pod = app.Pod!;
        var volumesHeld = Resources.From(instance.Resources.Volumes); // persistent volumes go whole with the first container
        var pool = instance.Resources.Minus(volumesHeld);
        var endpoints = pod.Containers.SelectMany(c => c.Endpoints ?? []).ToList();
        var portOf = endpoints.Select((e, i) => (e.Name, Port: i < instance.Ports.Count ? instance.Ports[i] : e.HostPort)).ToDictionary(e => e.Name, e => e.Port, StringComparer.Ordinal);
        var tasks = new List<TaskSpec>(pod.Containers.Count);
        for (var c = 0; c < pod.Containers.Count; c++)
        {
            var container = pod.Containers[c];
            var first = c == 0;
            var resources = Resources.Empty;
            foreach (var (name, amount) in new[]
            {
                (Resources.Cpus, container.Cpus + (first ? pod.ExecutorCpus : 0)),
                (Resources.Mem, container.Mem + (first ? pod.ExecutorMem : 0)),
                (Resources.Disk, container.Disk + (first ? pod.ExecutorDisk : 0)),
                (Resources.Gpus, (double)container.Gpus),
            })
            {
                var taken = Take(ref pool, name, amount);
                resources = resources.Plus(taken);
            }

            if (first)
            {
                resources = resources.Plus(volumesHeld);
            }

            foreach (var endpoint in container.Endpoints ?? [])
            {
                var port = (ulong)portOf[endpoint.Name];
                var held = pool.FirstOrDefault(r => r.Name == Resources.Ports && r.Ranges!.Contains(ValueRanges.OfValues([port])));
                var single = Resource.OfRanges(Resources.Ports, ValueRanges.OfValues([port]), held?.Role ?? Resource.AnyRole);
                resources = resources.Plus(held?.Reservation is { } reservation ? Resource.Reserved(single, held.Role, reservation) : single);
            }

            var taskId = MarathonKeys.PodTaskId(instance.TaskId, container.Name);
            var env = new Dictionary<string, string>(app.Env, StringComparer.Ordinal);
            foreach (var (key, value) in container.Environment ?? new Dictionary<string, string>())
            {
                env[key] = value;
            }

            env["MARATHON_APP_ID"] = app.Id;
            env["MARATHON_APP_VERSION"] = app.Version ?? "";
            env["MARATHON_CONTAINER_ID"] = container.Name;
            env["MESOS_TASK_ID"] = taskId;
            foreach (var (name, port) in portOf)
            {
                env[$"ENDPOINT_{name.ToUpperInvariant().Replace('-', '_')}"] = port.ToString(CultureInfo.InvariantCulture);
            }

            var volumes = (container.VolumeMounts ?? []).Select(m =>
            {
                var volume = pod.Volumes.First(v => v.Name == m.Name);
                var at = container.Image is null ? m.MountPath.TrimStart('/') : m.MountPath;
                var mode = m.ReadOnly ? "RO" : "RW";
                return volume.Host is { } host ? new SandboxVolumeSpec(SandboxVolumeSpec.Host, host, at, mode)
                    : volume.PersistentSize is not null && volumesHeld.FirstOrDefault(v => v.Volume!.ContainerPath == volume.Name) is { } held
                        ? new SandboxVolumeSpec(SandboxVolumeSpec.Persistent, held.Volume!.Id, at, mode)
                    : new SandboxVolumeSpec(SandboxVolumeSpec.Parent, $"volumes/{volume.Name}", at, mode);
            }).ToList();
            var check = container.HealthCheck is { } h
                ? new HealthCheckSpecDto(h.Kind, Port: h.Endpoint is { } e ? portOf[e] : null, Path: h.Path, Command: h.Command,
                    GracePeriodSeconds: h.GracePeriodSeconds, IntervalSeconds: h.IntervalSeconds, TimeoutSeconds: h.TimeoutSeconds,
                    MaxConsecutiveFailures: h.MaxConsecutiveFailures, DelaySeconds: h.DelaySeconds, KillOnFailure: false)
                : null;
            tasks.Add(new TaskSpec(taskId, $"{MarathonKeys.TaskNameOf(app.Id)}.{container.Name}", MarathonKeys.FrameworkId, instance.Role, resources,
                Command: new CommandSpec(container.Shell, Shell: container.Shell is not null, Environment: env, User: app.User),
                Docker: container.Image is { } image ? new DockerSpec(image, container.ForcePull, []) : null,
                HealthCheck: check,
                KillGracePeriodSeconds: container.KillGracePeriodSeconds ?? app.TaskKillGracePeriodSeconds,
                Labels: container.Labels is { Count: > 0 } labels ? labels : app.Labels.Count > 0 ? app.Labels : null,
                GroupId: instance.TaskId,
                Discovery: new DiscoverySpec([.. (container.Endpoints ?? []).Select(e => new DiscoveryPortSpec(portOf[e.Name], e.Name, string.Join(',', e.Protocol ?? ["tcp"])))], HealthChecked: check is not null),
                Volumes: volumes.Count > 0 ? volumes : null));
        }

        return tasks;
    }

    /// <summary>Takes <paramref name="amount"/> of scalar <paramref name="name"/> out of <paramref name="pool"/>, reserved roles first.</summary>
    private static Resources Take(ref Resources pool, string name, double amount)
    {
        var wanted = Scalar.FromDouble(amount);
        var taken = new List<Resource>();
        foreach (var item in pool.Where(r => r.Name == name && r.Kind == ResourceKind.Scalar).OrderBy(r => r.IsUnreserved).ToList())
        {
            if (wanted.IsZero)
            {
                break;
            }

            var part = Resource.OfScalar(name, item.Scalar < wanted ? item.Scalar : wanted, item.Role);
            taken.Add(item.Reservation is { } reservation ? Resource.Reserved(part, item.Role, reservation) : part);
            wanted -= part.Scalar;
        }

        var result = Resources.From(taken);
        pool = pool.Minus(result);
        return result;
    }
}
