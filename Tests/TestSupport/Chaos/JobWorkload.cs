using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support.Jobs;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// Chronos jobs that run every minute and jobs that depend on them. Each run appends
/// <c>&lt;job&gt; &lt;due ms&gt; &lt;attempt&gt;</c> to a shared file (<see cref="RunsFile"/>) — the evidence of what
/// actually ran, beside what Chronos recorded.
/// </summary>
public sealed class JobWorkload(ChaosHttp http, string runsDirectory)
{
    /// <summary>The period of every scheduled job.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    private readonly List<JobWrite> _writes = [];
    private int _next;

    /// <summary>Where runs append their line.</summary>
    public string RunsFile => Path.Combine(runsDirectory, "runs.log");

    /// <summary>Every job sent, in order.</summary>
    public IReadOnlyList<JobWrite> Writes
    {
        get
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Creates <paramref name="scheduled"/> jobs starting at <paramref name="start"/> and one dependent job on each of the first two; each until acknowledged.</summary>
    public async Task CreateInitialAsync(int scheduled, DateTimeOffset start)
    {
        Directory.CreateDirectory(runsDirectory);
        if (!OperatingSystem.IsWindows())
        {
            // Tasks may run as another user: any may append.
            File.SetUnixFileMode(runsDirectory, (UnixFileMode)Convert.ToInt32("777", 8));
        }
        var parents = new List<string>();
        for (var i = 0; i < scheduled; i++)
        {
            parents.Add(await UntilAcknowledgedAsync(() => CreateAsync([], start.AddSeconds(i * 7))));
        }

        foreach (var parent in parents.Take(2))
        {
            await UntilAcknowledgedAsync(() => CreateAsync([parent], null));
        }
    }

    /// <summary>Creates one more scheduled job, starting half a minute from now (the outcome is kept either way).</summary>
    public Task StepAsync() => CreateAsync([], DateTimeOffset.UtcNow.AddSeconds(30));

    private static async Task<string> UntilAcknowledgedAsync(Func<Task<JobWrite>> create)
    {
        for (var attempt = 0; ; attempt++)
        {
            var write = await create();
            if (write.Acknowledged || attempt == 20)
            {
                return write.Acknowledged ? write.Name : throw new InvalidOperationException($"job {write.Name} not created: {write.Status}");
            }

            await Task.Delay(500);
        }
    }

    private async Task<JobWrite> CreateAsync(string[] parents, DateTimeOffset? start)
    {
        var name = $"chaos-{(parents.Length > 0 ? "child" : "job")}-{Interlocked.Increment(ref _next):000}";
        var job = new JsonObject
        {
            ["name"] = name,
            ["command"] = $"echo \"$CHRONOS_JOB_NAME $CHRONOS_JOB_RUN_TIME $CHRONOS_JOB_RUN_ATTEMPT\" >> {RunsFile}",
            ["cpus"] = 0.02,
            ["mem"] = 16,
            ["epsilon"] = "PT30S",
            ["owner"] = "chaos@example.com",
        };
        if (parents.Length > 0)
        {
            job["parents"] = new JsonArray([.. parents.Select(p => (JsonNode)p)]);
        }
        else
        {
            job["schedule"] = $"R/{ChronosApi.At(start!.Value)}/PT1M";
        }

        var sentAt = DateTimeOffset.UtcNow;
        var (status, _, _) = await http.SendAsync(HttpMethod.Post, parents.Length > 0 ? "/v1/scheduler/dependency" : "/v1/scheduler/iso8601", job);
        var write = new JobWrite(name, parents, start, sentAt, (int)status);
        lock (_writes)
        {
            _writes.Add(write);
        }

        return write;
    }

    /// <summary>The runs that happened: (job, due in ms since the epoch, attempt), from <see cref="RunsFile"/>.</summary>
    public IReadOnlyList<(string Job, long DueMs, int Attempt)> Executions() =>
        !File.Exists(RunsFile)
            ? []
            : [.. File.ReadAllLines(RunsFile).Select(l => l.Split(' ')).Where(p => p.Length == 3 && long.TryParse(p[1], out _))
                .Select(p => (p[0], long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), int.TryParse(p[2], out var a) ? a : -1))];
}
