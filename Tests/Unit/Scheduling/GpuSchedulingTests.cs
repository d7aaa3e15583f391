using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Tests.Support;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

/// <summary>GPUs: offered only to GPU_RESOURCES frameworks, kept for GPU tasks, named per task on the agent.</summary>
[Trait("Area", "Stateful")]
public sealed class GpuSchedulingTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void An_agent_with_gpus_is_offered_only_to_frameworks_that_declared_GPU_RESOURCES()
    {
        var allocator = new Allocator(new AllocatorOptions(), _time, new Random(1));
        allocator.AddAgent(Agent(0), Res.Parse("cpus:4;mem:4096;gpus:2"));
        allocator.AddAgent(Agent(1), Res.Parse("cpus:4;mem:4096"));
        allocator.AddFramework("plain", ["*"]);

        var toPlain = Assert.Single(allocator.Allocate());
        allocator.AddFramework("gpu", ["*"], gpuAware: true);
        var toGpu = Assert.Single(allocator.Allocate());

        Assert.Equal("agent-1", toPlain.AgentId);
        Assert.Equal(("gpu", "agent-0"), (toGpu.FrameworkId, toGpu.AgentId));
        Assert.Equal(2.0, toGpu.Resources.ScalarTotal("gpus").ToDouble());
    }

    [Fact]
    public void A_task_without_gpus_keeps_off_agents_that_offer_them_and_a_gpu_task_lands_only_on_one()
    {
        var agents = new[]
        {
            new OfferedAgent(Agent(0) with { HasGpus = true }, Res.Parse("cpus:8;mem:8192;gpus:1")),
            new OfferedAgent(Agent(1), Res.Parse("cpus:8;mem:8192")),
            new OfferedAgent(Agent(2) with { HasGpus = true }, Res.Parse("cpus:8;mem:8192")), // its GPUs are all in use
        };
        var plain = new TaskRequest("/plain", Res.Parse("cpus:1;mem:64")) { AvoidGpuAgents = true };
        var gpu = new TaskRequest("/trainer", Res.Parse("cpus:1;mem:64;gpus:1"));

        var matches = OfferMatching.Match(agents, [new QueuedLaunch(plain, 3), new QueuedLaunch(gpu, 2)], [], new Random(1));

        Assert.All(matches.Single(m => m.GroupId == "/plain").Placement.Assignments, a => Assert.Equal("agent-1", a.AgentId));
        Assert.Equal(3, matches.Single(m => m.GroupId == "/plain").Placement.Assignments.Count);
        var trainer = matches.Single(m => m.GroupId == "/trainer");
        Assert.Equal("agent-0", Assert.Single(trainer.Placement.Assignments).AgentId);
        Assert.Equal(1, trainer.Placement.Unplaced);
        Assert.Contains("DeclinedScarceResources", OfferRejectFunnel.Reasons);
        Assert.Equal("DeclinedScarceResources", OfferRejectFunnel.ReasonOf(RejectReasons.DeclinedScarceResources));
    }

    [Fact]
    public void The_agent_names_the_lowest_free_gpus_and_hides_them_from_tasks_without()
    {
        Assert.Equal([0, 1], GpuAssignment.Pick(4, [], 2));
        Assert.Equal([1, 3], GpuAssignment.Pick(4, [0, 2], 2));
        Assert.Null(GpuAssignment.Pick(2, [0], 2));
        Assert.Empty(GpuAssignment.Pick(0, [], 0)!);

        Assert.Equal("1,3", GpuAssignment.Environment(4, [1, 3])["NVIDIA_VISIBLE_DEVICES"]);
        Assert.Equal("1,3", GpuAssignment.Environment(4, [1, 3])["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("void", GpuAssignment.Environment(4, [])["NVIDIA_VISIBLE_DEVICES"]);
        Assert.Equal("", GpuAssignment.Environment(4, [])["CUDA_VISIBLE_DEVICES"]);
        Assert.Empty(GpuAssignment.Environment(0, []));
    }
}
