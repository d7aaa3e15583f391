namespace OrleansDcos.Scheduling.Deployment;

/// <summary>Marathon's deployment actions.</summary>
public static class DeploymentActions
{
    /// <summary>A new app is registered (with no instances yet).</summary>
    public const string Start = "StartApplication";

    /// <summary>An app's instance count changes (its definition otherwise does not).</summary>
    public const string Scale = "ScaleApplication";

    /// <summary>An app's definition changed: its instances are replaced by rolling restart.</summary>
    public const string Restart = "RestartApplication";

    /// <summary>An app is removed: its instances are killed.</summary>
    public const string Stop = "StopApplication";
}
