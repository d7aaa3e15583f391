namespace OrleansDcos.Scheduling.Deployment;

/// <summary>Apps' dependencies (their own and their groups') form a cycle; the message names it (<c>/a -> /b -> /a</c>).</summary>
public sealed class DependencyCycleException(IReadOnlyList<string> cycle)
    : Exception($"dependencies form a cycle: {string.Join(" -> ", cycle)}")
{
    /// <summary>The ids around the cycle, the first repeated at the end.</summary>
    public IReadOnlyList<string> Cycle { get; } = cycle;
}
