using OrleansDcos.Scheduling.Jobs;
using Xunit;

namespace OrleansDcos.Tests.Unit.Jobs;

/// <summary>Dependent jobs: ready once after every parent succeeded since the job's last run; parent links without cycles or missing parents.</summary>
[Trait("Area", "Jobs")]
public sealed class JobGraphTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_job_waits_for_every_parent_to_succeed_since_its_last_run()
    {
        Assert.False(JobGraph.Ready(null, [T0, null]));                                // B never succeeded
        Assert.True(JobGraph.Ready(null, [T0, T0.AddMinutes(1)]));                     // both did, never ran
        Assert.False(JobGraph.Ready(T0.AddMinutes(2), [T0.AddMinutes(3), T0.AddMinutes(1)])); // B's success is older than the last run
        Assert.True(JobGraph.Ready(T0.AddMinutes(2), [T0.AddMinutes(3), T0.AddMinutes(4)]));
        Assert.False(JobGraph.Ready(null, []));                                         // no parents: not a dependent job
    }

    [Fact]
    public void Children_are_the_jobs_naming_the_parent()
    {
        var links = Links(("a", []), ("b", ["a"]), ("c", ["b"]), ("d", ["a", "b"]));

        var children = JobChildren.Of(links);
        Assert.Equal(["b", "d"], children.Of("a"));
        Assert.Equal(["c", "d"], children.Of("b"));
        Assert.Empty(children.Of("c"));

        // Kept as jobs change and go.
        children.Unlink("d", ["a", "b"]);
        children.Link("d", ["c"]);
        Assert.Equal(["b"], children.Of("a"));
        Assert.Equal(["d"], children.Of("c"));
    }

    [Fact]
    public void Cycles_missing_parents_and_self_parents_are_refused_naming_them()
    {
        var links = Links(("a", []), ("b", ["a"]), ("c", ["b"]));

        Assert.Null(JobGraph.Problem("d", ["a", "c"], links));
        Assert.Equal("parents would form a cycle: a → c → b → a", JobGraph.Problem("a", ["c"], links));
        Assert.Equal("parent 'x' does not exist", JobGraph.Problem("d", ["x"], links));
        Assert.Equal("job 'd' cannot be its own parent", JobGraph.Problem("d", ["d"], links));
    }

    private static Dictionary<string, IReadOnlyList<string>> Links(params (string Job, string[] Parents)[] jobs) =>
        jobs.ToDictionary(j => j.Job, j => (IReadOnlyList<string>)j.Parents, StringComparer.Ordinal);
}
