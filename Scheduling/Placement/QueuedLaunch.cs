namespace OrleansDcos.Scheduling.Placement;

/// <summary>Launches a framework still wants for one group (a Marathon app): what each needs and how many.</summary>
public sealed record QueuedLaunch(TaskRequest Request, int Count);
