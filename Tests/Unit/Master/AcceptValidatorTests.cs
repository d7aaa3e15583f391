using OrleansDcos.Scheduling.Frameworks;
using OrleansDcos.Scheduling.Resources;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class AcceptValidatorTests
{
    private static LaunchRequest Task(string id, string resources = "cpus:1;mem:32", bool runnable = true) => new(id, runnable, Resources.Parse(resources));

    private static AcceptVerdict Validate(Res? offered, Func<string, bool>? live = null, params LaunchOperation[] operations) =>
        AcceptValidator.Validate(operations, offered, live ?? (_ => false));

    [Fact]
    public void Tasks_launch_while_the_offers_have_room_in_the_calls_order()
    {
        var verdict = Validate(Res.Parse("cpus:2;mem:64"), null, new LaunchOperation(false, [Task("a"), Task("b"), Task("c")]));

        Assert.Equal([(0, 0), (0, 1)], verdict.Launch);
        var refused = Assert.Single(verdict.Refused);
        Assert.Equal("c", refused.TaskId);
        Assert.StartsWith("task 'c' needs cpus:1;mem:32; the offers have", refused.Reason);
        Assert.Equal(Res.Parse("cpus:2;mem:64"), verdict.Used);
    }

    [Fact]
    public void Each_rule_refuses_with_its_reason()
    {
        var verdict = Validate(Res.Parse("cpus:10;mem:1024"), id => id == "running", new LaunchOperation(false,
        [
            Task("a/b"), Task("dup"), Task("dup"), Task("running"), Task("idle", runnable: false), Task("nothing", "disk:10"),
        ]));

        Assert.Equal([(0, 1)], verdict.Launch);
        Assert.Equal(
            [
                "a/b: task_id 'a/b' contains '/': ids may not hold '/', '\\', whitespace or control characters",
                "dup: task 'dup' is already known: task ids must be unique within the framework",
                "running: task 'running' is already known: task ids must be unique within the framework",
                "idle: task 'idle' needs a command or a container",
                "nothing: task 'nothing' must use some cpus or mem",
            ],
            verdict.Refused.Select(r => $"{r.TaskId}: {r.Reason}"));
    }

    [Fact]
    public void A_group_with_one_refused_task_launches_nothing_and_leaves_its_room_to_the_next_operation()
    {
        var verdict = Validate(Res.Parse("cpus:2;mem:64"), null,
            new LaunchOperation(true, [Task("g1"), Task("g2", runnable: false)]),
            new LaunchOperation(false, [Task("x"), Task("y")]));

        Assert.Equal([(1, 0), (1, 1)], verdict.Launch);
        Assert.Equal(["g2", "g1"], verdict.Refused.Select(r => r.TaskId));
        Assert.Equal("another task of its group is invalid: task 'g2' needs a command or a container", verdict.Refused[1].Reason);
    }

    [Fact]
    public void With_offers_no_longer_valid_tasks_are_judged_on_themselves_only()
    {
        var verdict = Validate(null, null, new LaunchOperation(false, [Task("big", "cpus:1000;mem:1"), Task("bad", "mem:0")]));

        Assert.Equal([(0, 0)], verdict.Launch); // the caller drops it: the offers are gone
        Assert.Equal("bad", Assert.Single(verdict.Refused).TaskId);
    }
}
