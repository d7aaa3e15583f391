using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.AgentLink;
using OrleansDcos.Client.Frameworks;
using OrleansDcos.Grains.Master;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.Integration.Master;

/// <summary>The typed framework SDK, task groups, agent maintenance and removal, enrollment tokens.</summary>
[Trait("Area", "Master")]
[Collection(ClusterCollection.Name)]
public sealed class SchedulerSdkTests
{
    [RequiresFact(Component.Postgres)]
    public async Task The_SDK_subscribes_launches_a_task_group_acknowledges_reconciles_and_kills()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        await master.AddAgentsAsync(2);
        using var http = new HttpClient { BaseAddress = master.Gateway };
        var scheduler = new SchedulerClient(http);
        await using var subscription = await scheduler.SubscribeAsync(new FrameworkInfo(null, "sdk", Roles: ["web"], Capabilities: ["PARTITION_AWARE"]));
        var updates = new ConcurrentQueue<TaskStatusEvent>();
        var offers = new ConcurrentQueue<OfferInfo>();
        using var reading = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            await foreach (var e in subscription.Events(reading.Token))
            {
                foreach (var offer in e.Offers ?? [])
                {
                    offers.Enqueue(offer);
                }

                if (e.Status is { } status)
                {
                    updates.Enqueue(status);
                    await subscription.AcknowledgeAsync(status);
                }
            }
        });

        var first = await PollValue.UntilAsync(() => Task.FromResult(offers.TryDequeue(out var o) ? o : null), TimeSpan.FromSeconds(20), "an offer");
        Assert.Equal("web", first.Role);
        TaskSpec Spec(string id) => new(id, id, "", "", Resources.Parse("cpus:0.5;mem:64"), new CommandSpec("sleep 1000"));
        await subscription.AcceptAsync([first.OfferId], [new OfferOperation("LAUNCH_GROUP", [Spec("g1"), Spec("g2")]), new OfferOperation("LAUNCH", [Spec("solo")])], refuseSeconds: 0);

        string? StateOf(string id) => updates.LastOrDefault(u => u.Status.TaskId == id)?.Status.State.ToString();
        await Poll.UntilAsync(() => Task.FromResult(new[] { "g1", "g2", "solo" }.All(id => StateOf(id) == "TASK_RUNNING")), TimeSpan.FromSeconds(20), "three tasks running");
        var agent = master.Agents.Single(a => a.AgentId == first.AgentId);
        Assert.Equal(agent.Specs["g1"].GroupId, agent.Specs["g2"].GroupId);
        Assert.NotNull(agent.Specs["g1"].GroupId);

        // Acknowledged updates are gone from the agent's retry queue: it has nothing left to resend.
        await subscription.ReconcileAsync([new ReconcileTask("g1"), new ReconcileTask("ghost")]);
        await Poll.UntilAsync(() => Task.FromResult(StateOf("ghost") == "TASK_UNKNOWN"), TimeSpan.FromSeconds(10), "ghost reconciled as unknown");

        await subscription.KillAsync("solo", gracePeriod: TimeSpan.FromSeconds(1));
        await Poll.UntilAsync(() => Task.FromResult(StateOf("solo") == "TASK_KILLED"), TimeSpan.FromSeconds(10), "solo killed");

        // A task group with one invalid task launches nothing.
        var second = await PollValue.UntilAsync(() => Task.FromResult(offers.TryDequeue(out var o) ? o : null), TimeSpan.FromSeconds(20), "another offer");
        await subscription.AcceptAsync([second.OfferId], [new OfferOperation("LAUNCH_GROUP", [Spec("ok"), Spec("g1")])]);
        await Poll.UntilAsync(() => Task.FromResult(StateOf("ok") == "TASK_ERROR"), TimeSpan.FromSeconds(10), "the group refused");

        await reading.CancelAsync();
        await reader.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_drained_agent_gets_no_offers_and_its_tasks_are_killed_a_removed_one_is_gone_for_good()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(2);
        await using var framework = new RawFramework(master.Gateway);
        await framework.SubscribeAsync("ops", partitionAware: true);
        foreach (var agent in agents)
        {
            var offer = await PollValue.UntilAsync(() => Task.FromResult(framework.Offers.Values.FirstOrDefault(o => o["agent_id"]!["value"]!.GetValue<string>() == agent.AgentId)),
                TimeSpan.FromSeconds(20), $"an offer of {agent.AgentId}");
            await framework.LaunchAsync(offer, [($"on-{agent.AgentId}", RawFramework.Scalars(1, 64))], refuseSeconds: 0);
        }

        using var http = new HttpClient { BaseAddress = master.Gateway };
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/master/agents/{agents[0].AgentId}/drain?gracePeriodSeconds=1", null)).StatusCode);
        await framework.WaitForStateAsync($"on-{agents[0].AgentId}", "TASK_KILLED");
        var allocator = master.Grains.GetGrain<IAllocatorGrain>(MasterKeys.Allocator);
        Assert.False((await allocator.GetSnapshot()).Agents.Single(a => a.AgentId == agents[0].AgentId).Active);
        await Poll.UntilAsync(async () => (await master.Grains.GetGrain<IAgentGrain>(agents[0].AgentId).GetSnapshot()).Status == AgentStatus.Maintenance,
            TimeSpan.FromSeconds(10), "maintenance once drained");
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/master/agents/{agents[0].AgentId}/reactivate", null)).StatusCode);
        Assert.True((await allocator.GetSnapshot()).Agents.Single(a => a.AgentId == agents[0].AgentId).Active);

        Assert.Equal(HttpStatusCode.OK, (await http.PostAsync($"/master/agents/{agents[1].AgentId}/gone", null)).StatusCode);
        await framework.WaitForUpdateAsync($"on-{agents[1].AgentId}", "TASK_GONE_BY_OPERATOR");
        Assert.DoesNotContain((await allocator.GetSnapshot()).Agents, a => a.AgentId == agents[1].AgentId);
        var notFound = await http.PostAsync("/master/agents/no-such-agent/gone", null);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Contains("no-such-agent", (await notFound.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>());

        var metrics = JsonNode.Parse(await http.GetStringAsync("/metrics/snapshot"))!;
        Assert.Equal(1, metrics["master/slaves_active"]!.GetValue<int>());
        Assert.Equal(1, metrics["master/frameworks_active"]!.GetValue<int>());
    }

    [RequiresFact(Component.Postgres)]
    public async Task Enrollment_needs_the_token_when_one_is_set_and_quota_is_kept()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(master: o => o.AgentToken = "s3cret");
        await using var intruder = new SimulatedAgent(master.Cluster.Gateways, "intruder", "cpus:1;mem:128", token: "wrong").Start();
        await using var member = new SimulatedAgent(master.Cluster.Gateways, "member", "cpus:1;mem:128", token: "s3cret").Start();
        await Poll.UntilAsync(() => Task.FromResult(member.Connected), TimeSpan.FromSeconds(10), "the agent with the token enrolled");
        Assert.False(intruder.Connected);
        Assert.Equal(0, intruder.Registrations);

        using var http = new HttpClient { BaseAddress = master.Gateway };
        var set = await http.PostAsync("/quota", JsonContent.Create(new JsonObject { ["role"] = "ml", ["guarantee"] = RawFramework.Scalars(1, 128) }));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var quota = JsonNode.Parse(await http.GetStringAsync("/quota"))!;
        Assert.Equal("ml", quota["infos"]![0]!["role"]!.GetValue<string>());
        var bad = await http.PostAsync("/quota", JsonContent.Create(new JsonObject { ["role"] = "ml", ["guarantee"] = new JsonArray(new JsonObject { ["name"] = "ports", ["type"] = "RANGES", ["ranges"] = new JsonObject { ["range"] = new JsonArray(new JsonObject { ["begin"] = 1, ["end"] = 2 }) } }) }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badWeight = await http.PutAsJsonAsync("/weights", new[] { new { role = "x", weight = -1.0 } });
        Assert.Equal(HttpStatusCode.BadRequest, badWeight.StatusCode);
    }
}
