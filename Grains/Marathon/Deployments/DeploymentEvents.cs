using System.Text.Json.Nodes;
using OrleansDcos.Scheduling.Deployment;

namespace OrleansDcos.Grains.Marathon.Deployments;

/// <summary>A deployment's events on Marathon's event bus, in Marathon's shapes (the plan as <c>{id, version, steps}</c>).</summary>
internal static class DeploymentEvents
{
    /// <summary>deployment_info / deployment_step_success: the plan and the step it is at.</summary>
    public static MarathonEvent AtStep(string type, DeploymentRecord deployment, DateTimeOffset at)
    {
        var step = deployment.CurrentStep < deployment.Steps.Count ? deployment.Steps[deployment.CurrentStep].Actions : [];
        return MarathonEvent.Of(at, type, new JsonObject
        {
            ["plan"] = Plan(deployment),
            ["currentStep"] = new JsonObject { ["actions"] = Actions(step) },
        });
    }

    /// <summary>deployment_success / deployment_failed: the deployment's id and plan.</summary>
    public static MarathonEvent Ended(string type, DeploymentRecord deployment, DateTimeOffset at) =>
        MarathonEvent.Of(at, type, new JsonObject { ["id"] = deployment.Id, ["plan"] = Plan(deployment) });

    private static JsonObject Plan(DeploymentRecord deployment) => new()
    {
        ["id"] = deployment.Id,
        ["version"] = deployment.Version,
        ["steps"] = new JsonArray([.. deployment.Steps.Select(s => (JsonNode)new JsonObject { ["actions"] = Actions(s.Actions) })]),
    };

    private static JsonArray Actions(IEnumerable<PlannedAction> actions) =>
        new([.. actions.Select(a => (JsonNode)new JsonObject { ["action"] = a.Action, ["app"] = a.App })]);
}
