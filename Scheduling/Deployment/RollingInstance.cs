namespace OrleansDcos.Scheduling.Deployment;

/// <summary>One live instance as the rolling update sees it.</summary>
/// <param name="Id">The instance (task) id.</param>
/// <param name="Current">True when it runs the target version.</param>
/// <param name="Healthy">Running and healthy (and ready, for the target version).</param>
/// <param name="StartedAt">When it was launched (for the kill selection).</param>
/// <param name="Killing">Already being killed: still live (it counts against the capacity) but neither healthy nor killed again.</param>
public sealed record RollingInstance(string Id, bool Current, bool Healthy, DateTimeOffset StartedAt, bool Killing = false);
