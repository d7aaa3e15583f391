namespace OrleansDcos.Scheduling.Deployment;

/// <summary>An app as the deployment planner sees it.</summary>
/// <param name="Id">Its id (<c>/group/app</c>).</param>
/// <param name="Dependencies">The ids it depends on (an id of a group stands for every app under it).</param>
/// <param name="Instances">How many instances it runs.</param>
/// <param name="Config">Its configuration apart from instances and versions: two definitions with the same one differ by a scale, not a restart.</param>
public sealed record PlannedApp(string Id, IReadOnlyList<string> Dependencies, int Instances, string Config);
