using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Integration.Marathon;

/// <summary>
/// Marathon's endpoints and event-bus events, answered live, against Marathon 1.10's keys and JSON types (its RAML and
/// the events it serializes): every key Marathon writes is there with Marathon's type, so the UI, the dcos CLI,
/// go-marathon and marathon-lb read them. Additions of ours are allowed; a missing or retyped key fails.
/// </summary>
[Trait("Area", "Fidelity")]
[Collection(ClusterCollection.Name)]
public sealed class MarathonWireSchemaTests
{
    private const string S = JsonShape.String, N = JsonShape.Number, B = JsonShape.Boolean, O = JsonShape.Object, A = JsonShape.Array;

    private static readonly Dictionary<string, string> App = new()
    {
        ["id"] = S,
        ["cmd"] = S,
        ["user"] = S,
        ["env"] = O,
        ["instances"] = N,
        ["cpus"] = N,
        ["mem"] = N,
        ["disk"] = N,
        ["gpus"] = N,
        ["executor"] = S,
        ["constraints"] = A,
        ["fetch"] = A,
        ["backoffSeconds"] = N,
        ["backoffFactor"] = N,
        ["maxLaunchDelaySeconds"] = N,
        ["healthChecks"] = A,
        ["readinessChecks"] = A,
        ["dependencies"] = A,
        ["upgradeStrategy"] = O,
        ["labels"] = O,
        ["version"] = S,
        ["versionInfo"] = O,
        ["killSelection"] = S,
        ["unreachableStrategy"] = O,
        ["portDefinitions"] = A,
        ["requirePorts"] = B,
        ["networks"] = A,
        ["role"] = S,
        ["taskKillGracePeriodSeconds"] = N,
        ["tasksStaged"] = N,
        ["tasksRunning"] = N,
        ["tasksHealthy"] = N,
        ["tasksUnhealthy"] = N,
        ["deployments"] = A,
        ["tasks"] = A,
    };

    private static readonly Dictionary<string, string> Task = new()
    {
        ["id"] = S,
        ["appId"] = S,
        ["host"] = S,
        ["ports"] = A,
        ["servicePorts"] = A,
        ["slaveId"] = S,
        ["stagedAt"] = S,
        ["startedAt"] = S,
        ["version"] = S,
        ["state"] = S,
        ["ipAddresses"] = A,
        ["region"] = S,
        ["zone"] = S,
        ["role"] = S,
    };

    private static readonly Dictionary<string, string> Deployment = new()
    {
        ["id"] = S,
        ["version"] = S,
        ["affectedApps"] = A,
        ["affectedPods"] = A,
        ["steps"] = A,
        ["currentActions"] = A,
        ["currentStep"] = N,
        ["totalSteps"] = N,
    };

    private static readonly Dictionary<string, string> QueueItem = new()
    {
        ["app"] = O,
        ["count"] = N,
        ["role"] = S,
        ["delay"] = O,
        ["since"] = S,
        ["processedOffersSummary"] = O,
    };

    private static readonly Dictionary<string, string> OffersSummary = new()
    {
        ["processedOffersCount"] = N,
        ["unusedOffersCount"] = N,
        ["rejectSummaryLastOffers"] = A,
        ["rejectSummaryLaunchAttempt"] = A,
    };

    private static readonly Dictionary<string, string> Group = new()
    {
        ["id"] = S,
        ["apps"] = A,
        ["groups"] = A,
        ["pods"] = A,
        ["dependencies"] = A,
        ["version"] = S,
    };

    /// <summary>Each event's keys beyond <c>eventType</c> and <c>timestamp</c>, as Marathon 1.10 serializes it.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> Events = new()
    {
        ["event_stream_attached"] = new() { ["remoteAddress"] = S },
        ["api_post_event"] = new() { ["clientIp"] = S, ["uri"] = S, ["appDefinition"] = O },
        ["group_change_success"] = new() { ["groupId"] = S, ["version"] = S },
        ["deployment_info"] = new() { ["plan"] = O, ["currentStep"] = O },
        ["deployment_step_success"] = new() { ["plan"] = O, ["currentStep"] = O },
        ["deployment_success"] = new() { ["id"] = S, ["plan"] = O },
        ["deployment_failed"] = new() { ["id"] = S, ["plan"] = O },
        ["status_update_event"] = new()
        {
            ["slaveId"] = S,
            ["taskId"] = S,
            ["taskStatus"] = S,
            ["message"] = S,
            ["appId"] = S,
            ["host"] = S,
            ["ipAddresses"] = A,
            ["ports"] = A,
            ["version"] = S,
        },
        ["instance_changed_event"] = new() { ["instanceId"] = S, ["condition"] = S, ["runSpecId"] = S, ["agentId"] = S, ["host"] = S, ["runSpecVersion"] = S },
    };

    [RequiresFact(Component.Postgres)]
    public async Task Endpoints_and_events_have_Marathon_1_10s_keys_and_types()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(marathon: true);
        await master.AddAgentsAsync(1, faultDomain: ("eu", "eu-1a"));
        using var api = new MarathonApi(master.Gateway);
        var sse = await SseCollector.AttachAsync(master.Gateway);

        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject
        {
            ["id"] = "/fid/web",
            ["cmd"] = "serve",
            ["cpus"] = 0.5,
            ["mem"] = 32,
            ["instances"] = 1,
            ["user"] = "nobody",
            ["taskKillGracePeriodSeconds"] = 3,
            ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
        });
        await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        await api.WaitForTasksAsync("/fid/web", 1);

        var app = JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps/fid/web?embed=app.tasks&embed=app.counts&embed=app.deployments"))!["app"]!.AsObject();
        AssertSchema("app", app, App);
        AssertSchema("app.versionInfo", app["versionInfo"]!.AsObject(), new() { ["lastScalingAt"] = S, ["lastConfigChangeAt"] = S });
        AssertSchema("app.upgradeStrategy", app["upgradeStrategy"]!.AsObject(), new() { ["minimumHealthCapacity"] = N, ["maximumOverCapacity"] = N });
        AssertSchema("app.unreachableStrategy", app["unreachableStrategy"]!.AsObject(), new() { ["inactiveAfterSeconds"] = N, ["expungeAfterSeconds"] = N });
        AssertSchema("app.portDefinitions[0]", app["portDefinitions"]![0]!.AsObject(), new() { ["port"] = N, ["protocol"] = S, ["name"] = S, ["labels"] = O });
        AssertSchema("app.networks[0]", app["networks"]![0]!.AsObject(), new() { ["mode"] = S });
        AssertSchema("app.tasks[0]", app["tasks"]![0]!.AsObject(), Task);
        Assert.Equal(("eu", "eu-1a"), (app["tasks"]![0]!["region"]!.GetValue<string>(), app["tasks"]![0]!["zone"]!.GetValue<string>()));
        AssertSchema("/v2/tasks tasks[0]", JsonNode.Parse(await api.Http.GetStringAsync("/v2/tasks"))!["tasks"]![0]!.AsObject(), Task);
        AssertSchema("/v2/apps/{id}/tasks tasks[0]", JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps/fid/web/tasks"))!["tasks"]![0]!.AsObject(), Task);

        var root = JsonNode.Parse(await api.Http.GetStringAsync("/v2/groups?embed=group.apps&embed=group.apps.counts"))!.AsObject();
        AssertSchema("group", root, Group);
        AssertSchema("group.groups[0]", root["groups"]![0]!.AsObject(), Group);
        Assert.Equal("/fid", root["groups"]![0]!["id"]!.GetValue<string>());

        // A deployment that cannot finish (no offer has 100 cpus): the deployments list and the queue show it.
        var stuck = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/v2/apps/fid/web", new JsonObject { ["cpus"] = 100 });
        var deployment = await PollValue.UntilAsync(async () => (await api.DeploymentsAsync()).FirstOrDefault()?.AsObject(), TimeSpan.FromSeconds(10), "the deployment listed");
        AssertSchema("deployment", deployment, Deployment);
        AssertSchema("deployment.steps[0].actions[0]", deployment["steps"]![0]!["actions"]![0]!.AsObject(), new() { ["action"] = S, ["app"] = S });
        AssertSchema("deployment.currentActions[0]", deployment["currentActions"]![0]!.AsObject(), new() { ["action"] = S, ["app"] = S });
        var item = await PollValue.UntilAsync(async () => JsonNode.Parse(await api.Http.GetStringAsync("/v2/queue"))!["queue"]!.AsArray().FirstOrDefault()?.AsObject(),
            TimeSpan.FromSeconds(10), "the app queued");
        AssertSchema("queue[0]", item, QueueItem);
        AssertSchema("queue[0].delay", item["delay"]!.AsObject(), new() { ["timeLeftSeconds"] = N, ["overdue"] = B });
        AssertSchema("queue[0].processedOffersSummary", item["processedOffersSummary"]!.AsObject(), OffersSummary);
        await api.ExpectAsync(HttpStatusCode.Accepted, HttpMethod.Delete, $"/v2/deployments/{stuck!["deploymentId"]!.GetValue<string>()}?force=true");

        await Poll.UntilAsync(() => System.Threading.Tasks.Task.FromResult(Events.Keys.All(type => sse.Events.Any(e => e.Type == type))), TimeSpan.FromSeconds(20),
            () => $"every event type (missing: {string.Join(", ", Events.Keys.Where(type => sse.Events.All(e => e.Type != type)))})");
        await sse.DisposeAsync();
        foreach (var (type, keys) in Events)
        {
            foreach (var e in sse.Events.Where(e => e.Type == type))
            {
                AssertSchema(type, e.Data, new Dictionary<string, string>(keys) { ["eventType"] = S, ["timestamp"] = S });
                if (e.Data["plan"] is JsonObject plan)
                {
                    AssertSchema($"{type}.plan", plan, new() { ["id"] = S, ["version"] = S, ["steps"] = A });
                }
            }
        }
    }

    private static void AssertSchema(string what, JsonObject json, Dictionary<string, string> keys)
    {
        var problems = JsonShape.Problems(json, keys, "Marathon");
        Assert.True(problems.Count == 0, $"{what}: {string.Join("; ", problems)}\n{json.ToJsonString()}");
    }
}
