using System.Collections.Concurrent;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Tests.Integration.Master;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Jobs;
using OrleansDcos.Tests.Support.Master;
using Xunit;
using static OrleansDcos.Tests.Support.Jobs.ChronosApi;

namespace OrleansDcos.Tests.Integration.Jobs;

/// <summary>
/// A job's run is on an agent that goes unreachable and comes back. Found by the chaos soak: the run counted
/// TASK_LOST as a failure and ran the due time again elsewhere, while the first task went on and finished — the due
/// time ran twice. Chronos is partition-aware now: the run waits for the agent and takes the task's real outcome.
/// </summary>
[Trait("Area", "Jobs")]
[Trait("Area", "Reliability")]
[Collection(ClusterCollection.Name)]
public sealed class ChronosUnreachableTests
{
    [RequiresFact(Component.Postgres)]
    public async Task A_run_whose_agent_went_unreachable_and_came_back_runs_once_and_succeeds_with_its_first_task()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync(silos: 1, jobs: true);
        var launched = new ConcurrentQueue<string>();
        var agents = await master.AddAgentsAsync(2);
        foreach (var agent in agents)
        {
            agent.Behaviour = spec =>
            {
                launched.Enqueue(spec.TaskId);
                return new SimulatedOutcome(TimeSpan.FromMilliseconds(20), RunFor: null); // ends when the test says
            };
        }

        using var api = new ChronosApi(master.Gateway);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeMilliseconds());
        await api.PutJobAsync(new() { ["name"] = "once", ["command"] = "run", ["schedule"] = $"R1/{At(start)}/PT1H", ["retries"] = 2, ["mem"] = 32, ["disk"] = 0 });
        var taskId = await PollValue.UntilAsync(() => Task.FromResult(launched.TryPeek(out var id) ? id : null), TimeSpan.FromSeconds(30), "the run launched");
        var holder = await PollValue.UntilAsync(() => Task.FromResult(agents.FirstOrDefault(a => a.Tasks.GetValueOrDefault(taskId) == TaskState.TASK_RUNNING)), TimeSpan.FromSeconds(30), "its task running");

        // Its agent goes silent past the master's bound (2 s here): the task is UNREACHABLE, not ended.
        holder.Silence();
        await Poll.UntilAsync(async () => (await master.Grains.GetGrain<IAgentGrain>(holder.AgentId).GetSnapshot()).Status == AgentStatus.Unreachable,
            TimeSpan.FromSeconds(30), "the agent unreachable");
        holder.Speak();
        await Poll.UntilAsync(() => Task.FromResult(holder.Connected), TimeSpan.FromSeconds(30), "the agent back");

        // The first task finishes there: that is the run's outcome, and nothing else was launched for its due time.
        holder.Finish(taskId, TaskState.TASK_FINISHED);
        var run = Assert.Single(await api.WaitForRunsAsync("once", "succeeded", 1));
        Assert.Equal(taskId, run["taskId"]!.GetValue<string>());
        Assert.Equal([taskId], launched.Distinct());
    }
}
