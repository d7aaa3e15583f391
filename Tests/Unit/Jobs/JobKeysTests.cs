using OrleansDcos.Grains.Jobs;
using Xunit;

namespace OrleansDcos.Tests.Unit.Jobs;

/// <summary>A run's task id names its job, due time and attempt, and reads back to them (a job takes back a launched run by it).</summary>
[Trait("Area", "Jobs")]
public sealed class JobKeysTests
{
    [Theory]
    [InlineData("nightly", 0)]
    [InlineData("team.etl-load_2", 3)]
    [InlineData("a:b", 1)]
    public void A_task_id_reads_back_to_its_job_due_time_and_attempt(string job, int attempt)
    {
        var due = new DateTimeOffset(2026, 3, 29, 1, 30, 0, 250, TimeSpan.Zero);

        var parsed = JobKeys.Parse(JobKeys.TaskId(job, due, attempt));

        Assert.Equal((job, due, attempt), parsed);
        Assert.Equal(job, JobKeys.JobOf(JobKeys.TaskId(job, due, attempt)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("web.1c0ffee")]
    [InlineData("ct:1:0:")]
    [InlineData("ct:x:0:job")]
    [InlineData("ct:1:-1:job")]
    [InlineData("ct:-5:0:job")]
    [InlineData("ct:99999999999999999999:0:job")]
    [InlineData("ct:1:0")]
    [InlineData("ct:253402300800000:0:job")]
    public void Other_task_ids_are_not_runs(string taskId) => Assert.Null(JobKeys.Parse(taskId));
}
