using System.Text.Json.Nodes;
using NodaTime;
using OrleansDcos.Grains.Jobs;
using OrleansDcos.Grains.Jobs.Validation;
using Xunit;
using static OrleansDcos.Tests.Unit.Jobs.JobScheduleTests;

namespace OrleansDcos.Tests.Unit.Jobs;

/// <summary>Chronos job bodies: Chronos' defaults, every field read, and a 400 detail naming each bad field.</summary>
[Trait("Area", "Jobs")]
public sealed class JobReaderTests
{
    private static readonly Instant Now = At("2026-12-07T10:00:00Z");

    private static JobDefinition Read(string json, JobReader.Kind kind = JobReader.Kind.Scheduled) => JobReader.Read(JsonNode.Parse(json), kind, Now);

    private static Dictionary<string, string> Errors(string json, JobReader.Kind kind = JobReader.Kind.Scheduled) =>
        Assert.Throws<JobValidationException>(() => Read(json, kind)).Details.ToDictionary(d => d.Path, d => string.Join(" | ", d.Errors));

    [Fact]
    public void A_minimal_job_gets_Chronos_defaults_and_an_empty_start_becomes_now()
    {
        var job = Read("""{"name": "backup", "command": "echo hi", "schedule": "R//PT1M"}""");

        Assert.Equal("R/2026-12-07T10:00:00.000Z/PT1M", job.Schedule);
        Assert.Equal((true, "PT60S", 2, 0.1, 128.0, 256.0, false, false, false, 0L), (job.Shell, job.Epsilon, job.Retries, job.Cpus, job.Mem, job.Disk, job.Async, job.Disabled, job.Concurrent, job.MaxCompletionTimeMs));
    }

    [Fact]
    public void Every_field_is_read()
    {
        var job = Read("""
            {"name": "etl.daily", "command": "", "shell": false, "arguments": ["--day", "today"], "schedule": "30 2 * * *",
             "scheduleTimeZone": "Europe/Berlin", "epsilon": "PT5M", "retries": 3, "owner": "ops@example.org", "ownerName": "Ops",
             "description": "nightly", "async": true, "cpus": 0.5, "mem": 64, "disk": 10, "disabled": true, "concurrent": true,
             "container": {"type": "DOCKER", "image": "local/busybox:1", "network": "HOST", "forcePullImage": false,
                           "volumes": [{"containerPath": "/data", "hostPath": "/tmp/data", "mode": "RO"}]},
             "environmentVariables": [{"name": "A", "value": "1"}], "constraints": [["rack", "EQUALS", "r1"], ["zone", "LIKE", "eu-.*"]],
             "maxCompletionTime": 60000, "uris": ["http://127.0.0.1/x.tgz"], "fetch": [{"uri": "http://127.0.0.1/y", "executable": true, "extract": false}],
             "highPriority": true, "softError": true, "dataProcessingJobType": true, "runAsUser": "nobody",
             "successCount": 4, "errorCount": 1, "lastSuccess": "2026-12-06T02:30:00.000Z", "lastError": ""}
            """);

        Assert.Equal(["--day", "today"], job.Arguments);
        Assert.Equal(("30 2 * * *", "Europe/Berlin", "PT5M", 3), (job.Schedule, job.ScheduleTimeZone, job.Epsilon, job.Retries));
        Assert.Equal(new JobVolume("/data", "/tmp/data", "RO"), Assert.Single(job.Container!.Volumes!));
        Assert.Equal("local/busybox:1", job.Container.Image);
        Assert.Equal([new JobVariable("A", "1")], job.EnvironmentVariables);
        Assert.Equal(["rack", "EQUALS", "r1"], job.Constraints![0]);
        Assert.Equal([new JobFetch("http://127.0.0.1/y", Executable: true, Extract: false), new JobFetch("http://127.0.0.1/x.tgz")], job.Fetch);
        Assert.Equal((60000L, true, true, true, "nobody"), (job.MaxCompletionTimeMs, job.HighPriority, job.SoftError, job.DataProcessingJobType, job.RunAsUser));
    }

    [Fact]
    public void A_dependent_job_has_parents_and_no_schedule()
    {
        var job = Read("""{"name": "report", "command": "make report", "parents": ["etl", "extract"]}""", JobReader.Kind.Dependent);

        Assert.Equal(["etl", "extract"], job.Parents);
        Assert.Null(job.Schedule);
        Assert.Equal("a dependent job (POST /dependency) needs at least one parent", Errors("""{"name": "r", "command": "x"}""", JobReader.Kind.Dependent)["/parents"]);
        Assert.Equal("a scheduled job has no parents (post a job with parents to /dependency)", Errors("""{"name": "r", "command": "x", "schedule": "R//PT1M", "parents": ["a"]}""")["/parents"]);
    }

    [Fact]
    public void Bad_fields_are_each_named()
    {
        var errors = Errors("""
            {"name": "bad name!", "command": 5, "schedule": "every minute", "scheduleTimeZone": "Mars/Olympus", "epsilon": "1 minute",
             "retries": -1, "cpus": 0, "container": {"type": "DOCKER", "image": "nginx", "network": "BRIDGE", "parameters": []},
             "constraints": [["rack", "GROUP_BY", "2"]], "environmentVariables": [{"value": "no name"}], "colour": "blue"}
            """);

        Assert.Contains("letters, digits", errors["/name"]);
        Assert.Equal("expected a string", errors["/command"]);
        Assert.Contains("is neither R[n]/[start]/period nor a five-field cron expression", errors["/schedule"]);
        Assert.Contains("'Mars/Olympus' is not a time zone of the tz database", errors["/scheduleTimeZone"]);
        Assert.Contains("epsilon is an ISO 8601 duration", errors["/epsilon"]);
        Assert.Contains("must be a whole number from 0 to 100", errors["/retries"]);
        Assert.Contains("from 0.001 to 1024", errors["/cpus"]);
        Assert.Contains("tag them local/", errors["/container/image"]);
        Assert.Contains("network BRIDGE is not supported", errors["/container/network"]);
        Assert.Equal("docker parameters are not supported", errors["/container/parameters"]);
        Assert.Equal("'GROUP_BY' is not EQUALS, LIKE or UNLIKE", errors["/constraints/0/1"]);
        Assert.Contains("is required", errors["/environmentVariables/0/name"]);
        Assert.Equal("unknown field", errors["/colour"]);
    }

    [Theory]
    [InlineData("""{"name": "j", "command": "x"}""", "/schedule")]
    [InlineData("""{"name": "j", "command": "x", "schedule": "R//PT1M", "scheduleTimeZone": "Nowhere/City"}""", "/scheduleTimeZone")]
    [InlineData("""{"name": "j", "command": "x", "schedule": "R//PT0S"}""", "/schedule")]
    [InlineData("""{"command": "x", "schedule": "R//PT1M"}""", "/name")]
    [InlineData("""{"name": "j", "schedule": "R//PT1M"}""", "/command")]
    [InlineData("""{"name": "j", "command": "x", "schedule": "R//PT1M", "maxCompletionTime": 1.5}""", "/maxCompletionTime")]
    [InlineData("""{"name": "j", "command": "x", "schedule": "R//PT1M", "constraints": [["rack", "LIKE", "("]]}""", "/constraints/0")]
    [InlineData("""[1, 2]""", "/")]
    public void Each_refusal_names_its_field(string json, string path) => Assert.Contains(path, Errors(json).Keys);
}
