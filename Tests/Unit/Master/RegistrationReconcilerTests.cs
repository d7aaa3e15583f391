using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Agents;
using Xunit;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class RegistrationReconcilerTests
{
    private static readonly Dictionary<string, bool> Frameworks = new(StringComparer.Ordinal) { ["fw"] = false, ["gone"] = true };

    private static RegistrationVerdict Reconcile(TaskView[] reported, Dictionary<string, KnownTask>? known = null) =>
        RegistrationReconciler.Reconcile(reported, known ?? new Dictionary<string, KnownTask>(StringComparer.Ordinal), Frameworks);

    private static TaskView Running(string id, string framework = "fw") => new(id, framework, TaskState.TASK_RUNNING);

    [Fact]
    public void A_first_registration_adopts_what_live_frameworks_run_and_kills_the_rest()
    {
        var verdict = Reconcile([Running("a"), Running("b", "gone"), Running("c", "never-known"), new TaskView("d", "gone", TaskState.TASK_FINISHED)]);

        Assert.Equal(["a"], verdict.Adopt);
        Assert.Equal(["b", "c"], verdict.Kill); // an ended task of a removed framework is neither killed nor adopted
        Assert.Empty(verdict.Returned);
        Assert.Empty(verdict.Lost);
    }

    [Fact]
    public void A_task_the_master_gave_up_on_is_killed_even_if_its_framework_lives()
    {
        var known = new Dictionary<string, KnownTask>(StringComparer.Ordinal)
        {
            ["ended"] = new(TaskState.TASK_LOST, KillRequested: false),
            ["killing"] = new(TaskState.TASK_RUNNING, KillRequested: true),
        };

        var verdict = Reconcile([Running("ended"), Running("killing")], known);

        Assert.Empty(verdict.Adopt);
        Assert.Equal(["ended", "killing"], verdict.Kill);
        Assert.Empty(verdict.Lost);
    }

    [Fact]
    public void An_unreachable_task_reported_running_is_back_and_one_not_reported_is_lost()
    {
        var known = new Dictionary<string, KnownTask>(StringComparer.Ordinal)
        {
            ["back"] = new(TaskState.TASK_UNREACHABLE, KillRequested: false),
            ["staying"] = new(TaskState.TASK_RUNNING, KillRequested: false),
            ["missing"] = new(TaskState.TASK_STAGING, KillRequested: false),
            ["missing-unreachable"] = new(TaskState.TASK_UNREACHABLE, KillRequested: false),
            ["finished-long-ago"] = new(TaskState.TASK_FINISHED, KillRequested: false),
        };

        var verdict = Reconcile([Running("back"), Running("staying"), new TaskView("ended-meanwhile", "fw", TaskState.TASK_FAILED)], known);

        Assert.Equal(["back", "staying", "ended-meanwhile"], verdict.Adopt);
        Assert.Equal(["back"], verdict.Returned);
        Assert.Empty(verdict.Kill);
        Assert.Equal(["missing", "missing-unreachable"], verdict.Lost.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unreachable_task_reported_ended_is_adopted_as_ended_not_returned()
    {
        var known = new Dictionary<string, KnownTask>(StringComparer.Ordinal) { ["t"] = new(TaskState.TASK_UNREACHABLE, KillRequested: false) };

        var verdict = Reconcile([new TaskView("t", "fw", TaskState.TASK_FAILED)], known);

        Assert.Equal(["t"], verdict.Adopt);
        Assert.Empty(verdict.Returned);
    }
}
