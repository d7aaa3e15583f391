using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Agents;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

[Trait("Area", "Agent")]
public sealed class ExitClassifierTests
{
    [Theory]
    [InlineData(false, false, true, null, TaskState.TASK_FINISHED, null)]
    [InlineData(false, false, false, null, TaskState.TASK_FAILED, TaskReasons.CommandExited)]
    [InlineData(false, true, false, null, TaskState.TASK_KILLED, null)] // a signal nobody here sent
    [InlineData(false, false, true, "", TaskState.TASK_KILLED, null)] // asked to die, exited 0 on SIGTERM
    [InlineData(false, true, false, "", TaskState.TASK_KILLED, null)]
    [InlineData(false, true, false, TaskReasons.Unhealthy, TaskState.TASK_KILLED, TaskReasons.Unhealthy)]
    [InlineData(true, true, false, null, TaskState.TASK_FAILED, TaskReasons.MemoryLimit)] // OOM wins over the signal
    [InlineData(true, true, false, "", TaskState.TASK_FAILED, TaskReasons.MemoryLimit)] // and over a kill asked meanwhile
    [InlineData(false, true, false, TaskReasons.DiskLimit, TaskState.TASK_FAILED, TaskReasons.DiskLimit)] // killed for its disk: FAILED, as Mesos reports a limitation
    [InlineData(false, false, true, TaskReasons.DiskLimit, TaskState.TASK_FAILED, TaskReasons.DiskLimit)]
    public void A_containers_end_becomes_the_tasks_last_state(bool oom, bool signalled, bool succeeded, string? killAsked, TaskState state, string? reason)
    {
        Assert.Equal((state, reason), ExitClassifier.Classify(oom, signalled, succeeded, killAsked));
    }
}
