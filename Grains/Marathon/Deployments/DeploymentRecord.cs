using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Deployments;

/// <summary>A running deployment, as the root keeps it.</summary>
public sealed class DeploymentRecord
{
    /// <summary>Its id.</summary>
    public required string Id { get; init; }

    /// <summary>The version it deploys.</summary>
    public required string Version { get; init; }

    /// <summary>The plan.</summary>
    public required List<PlannedStep> Steps { get; init; }

    /// <summary>Index of the running step.</summary>
    public int CurrentStep { get; set; }

    /// <summary>Apps whose action of the running step is done.</summary>
    public HashSet<string> Done { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each affected app's definition before (null: it did not exist), for a rollback.</summary>
    public required Dictionary<string, AppDefinition?> Originals { get; init; }

    /// <summary>Each affected app's target definition (null: it is removed).</summary>
    public required Dictionary<string, AppDefinition?> Targets { get; init; }

    /// <summary>Every group as it was before, when the deployment changed groups (a rollback puts them back).</summary>
    public GroupUpdate? GroupsBefore { get; init; }
}
