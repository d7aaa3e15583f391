using System.Net;
using OrleansDcos.Client;
using OrleansDcos.Client.Jobs;
using OrleansDcos.Grains.Jobs;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Jobs;

/// <summary>The typed Chronos client against a silo process: jobs in, runs out, statistics, and errors as exceptions.</summary>
[Trait("Area", "Jobs")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ChronosClientTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_client_creates_runs_lists_and_deletes_jobs_and_surfaces_errors()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };
        var chronos = new ChronosClient(http);

        await chronos.PutJobAsync(new JobDefinition("client-tick", "echo $CHRONOS_JOB_NAME", Schedule: "R//PT2S", Mem: 32, Disk: 0));
        await chronos.PutJobAsync(new JobDefinition("client-after", "echo after", Parents: ["client-tick"], Mem: 32, Disk: 0));
        await Poll.UntilAsync(async () => (await chronos.GetRunsAsync("client-tick")).Count(r => r.State == JobRunStates.Succeeded) >= 2, Deadline, "two runs of client-tick");
        await Poll.UntilAsync(async () => (await chronos.GetRunsAsync("client-after")).Any(r => r.State == JobRunStates.Succeeded && r.Trigger == JobRun.Dependency),
            Deadline, "client-after ran after its parent");

        var job = (await chronos.GetJobAsync("client-tick"))!;
        Assert.Equal("echo $CHRONOS_JOB_NAME", job.Definition.Command);
        Assert.True(job.SuccessCount >= 2);
        Assert.NotNull(job.LastSuccess);
        Assert.NotEmpty(job.NextDue);
        Assert.Contains(await chronos.ListJobsAsync(), j => j.Definition.Name == "client-after" && j.Definition.Parents!.SequenceEqual(["client-tick"]));
        Assert.Single(await chronos.SearchJobsAsync(command: "after"));
        Assert.Equal("success", (await chronos.SummaryAsync()).Single(s => s.Name == "client-tick").State);
        Assert.True((await chronos.GetStatsAsync("client-tick")).Count >= 2);
        Assert.Contains("link,client-tick,client-after", await chronos.GetGraphCsvAsync());

        // A manual run with arguments, of a job nothing else runs (a run of client-after asked while its parent's
        // success had one alive would be skipped: it is not concurrent).
        await chronos.PutJobAsync(new JobDefinition("client-manual", "echo", Schedule: "R0//PT1H", Mem: 32, Disk: 0));
        await chronos.RunNowAsync("client-manual", ["--now"]);
        await Poll.UntilAsync(async () => (await chronos.GetRunsAsync("client-manual")).Any(r => r.Trigger == JobRun.Manual && r.State == JobRunStates.Succeeded),
            Deadline, "the manual run of client-manual");

        // Errors: a bad job names its field; a parent cannot go before its child; an unknown job is null.
        var bad = await Assert.ThrowsAsync<DcosApiException>(() => chronos.PutJobAsync(new JobDefinition("bad", "true", Schedule: "R//PT0S")));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal("/schedule", bad.Error.Details[0].Path);
        Assert.Equal(HttpStatusCode.BadRequest, (await Assert.ThrowsAsync<DcosApiException>(() => chronos.DeleteJobAsync("client-tick"))).Status);
        await chronos.DeleteJobAsync("client-after");
        await chronos.DeleteJobAsync("client-tick");
        Assert.Null(await chronos.GetJobAsync("client-tick"));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<DcosApiException>(() => chronos.RunNowAsync("client-tick"))).Status);
    }
}
