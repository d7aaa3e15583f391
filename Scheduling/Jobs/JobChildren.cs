namespace OrleansDcos.Scheduling.Jobs;

/// <summary>Each parent's children (the jobs that name it among their parents), kept as jobs come, change and go, so a parent's success finds them without scanning every job.</summary>
public sealed class JobChildren
{
    private readonly Dictionary<string, SortedSet<string>> _children = new(StringComparer.Ordinal);

    /// <summary>The children of every parent in <paramref name="parentsByJob"/>.</summary>
    public static JobChildren Of(IReadOnlyDictionary<string, IReadOnlyList<string>> parentsByJob)
    {
        var index = new JobChildren();
        foreach (var (job, parents) in parentsByJob)
        {
            index.Link(job, parents);
        }

        return index;
    }

    /// <summary>The jobs that name <paramref name="parent"/> among their parents, in name order.</summary>
    public IReadOnlyCollection<string> Of(string parent) => _children.GetValueOrDefault(parent) ?? (IReadOnlyCollection<string>)[];

    /// <summary><paramref name="job"/> now has <paramref name="parents"/> (add after <see cref="Unlink"/> of its old ones).</summary>
    public void Link(string job, IReadOnlyList<string> parents)
    {
        foreach (var parent in parents)
        {
            (_children.TryGetValue(parent, out var children) ? children : _children[parent] = new SortedSet<string>(StringComparer.Ordinal)).Add(job);
        }
    }

    /// <summary><paramref name="job"/> no longer has <paramref name="parents"/>.</summary>
    public void Unlink(string job, IReadOnlyList<string> parents)
    {
        foreach (var parent in parents)
        {
            if (_children.TryGetValue(parent, out var children) && children.Remove(job) && children.Count == 0)
            {
                _children.Remove(parent);
            }
        }
    }
}
