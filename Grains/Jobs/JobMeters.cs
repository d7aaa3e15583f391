using System.Diagnostics.Metrics;

namespace OrleansDcos.Grains.Jobs;

/// <summary>The built-in Chronos' meter: job runs ended, by job and outcome (succeeded, failed, skipped), and retries.</summary>
public static class JobMeters
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansDcos.Jobs";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Runs that ended (<c>chronos_job_runs_total{job, outcome}</c>).</summary>
    public static readonly Counter<long> Runs = Meter.CreateCounter<long>("chronos.job.runs", "{run}", "Job runs ended, by job and outcome");

    /// <summary>Failed attempts retried (<c>chronos_job_retries_total{job}</c>).</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("chronos.job.retries", "{attempt}", "Failed job attempts retried");

    /// <summary>Counts one run of <paramref name="job"/> that ended with <paramref name="outcome"/>.</summary>
    public static void Ended(string job, string outcome, long count = 1)
    {
        if (count > 0)
        {
            Runs.Add(count, new KeyValuePair<string, object?>("job", job), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }
}
