namespace OrleansDcos.Scheduling.Frameworks;

/// <summary>A task a framework asks to launch, as ACCEPT validation sees it.</summary>
/// <param name="TaskId">Its id.</param>
/// <param name="Runnable">It has a command or a container.</param>
/// <param name="Resources">What it asks for.</param>
public sealed record LaunchRequest(string TaskId, bool Runnable, Resources.Resources Resources);
