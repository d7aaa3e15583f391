namespace OrleansDcos.NodeDaemon.Isolation;

/// <summary>
/// Which of the agent's GPUs a task gets (Mesos' Nvidia GPU allocator): the master counts GPUs, the agent names them —
/// the lowest indices no live task holds. The task is told its devices by <c>NVIDIA_VISIBLE_DEVICES</c> and
/// <c>CUDA_VISIBLE_DEVICES</c> (the NVIDIA container runtime enforces the first for Docker tasks); a task without GPUs on
/// an agent that has some sees none.
/// </summary>
public static class GpuAssignment
{
    /// <summary>The devices for a task that wants <paramref name="wanted"/> of the agent's <paramref name="agentGpus"/>, or null when too few are free.</summary>
    public static IReadOnlyList<int>? Pick(int agentGpus, IEnumerable<int> inUse, int wanted)
    {
        if (wanted <= 0)
        {
            return [];
        }

        var taken = inUse.ToHashSet();
        var free = Enumerable.Range(0, Math.Max(0, agentGpus)).Where(i => !taken.Contains(i)).Take(wanted).ToList();
        return free.Count == wanted ? free : null;
    }

    /// <summary>The variables that confine a task to <paramref name="devices"/> (none on an agent without GPUs).</summary>
    public static IReadOnlyDictionary<string, string> Environment(int agentGpus, IReadOnlyList<int> devices) => agentGpus <= 0
        ? new Dictionary<string, string>()
        : new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NVIDIA_VISIBLE_DEVICES"] = devices.Count > 0 ? string.Join(',', devices) : "void",
            ["CUDA_VISIBLE_DEVICES"] = string.Join(',', devices),
        };
}
