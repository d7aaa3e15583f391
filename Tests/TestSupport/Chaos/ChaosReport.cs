namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>What a chaos soak found: each kind of violation with its evidence (every list must be empty), and what was done.</summary>
public sealed class ChaosReport
{
    /// <summary>Acknowledged writes missing at the end: an app version or job the API accepted that is not there, an app deleted that is.</summary>
    public List<string> LostWrites { get; } = [];

    /// <summary>Status updates at which an app had more tasks than its upgrade strategy allows.</summary>
    public List<string> CapacityBroken { get; } = [];

    /// <summary>Task ids reported RUNNING on two agents.</summary>
    public List<string> RunningTwice { get; } = [];

    /// <summary>(job, due time) pairs that ran other than once (and were not skipped past their epsilon).</summary>
    public List<string> JobRunsNotOnce { get; } = [];

    /// <summary>Tasks of the external framework that ended without it receiving their end.</summary>
    public List<string> UpdatesNeverReceived { get; } = [];

    /// <summary>Apps not converged (running and healthy as asked, no deployment) 60 s after the chaos stopped.</summary>
    public List<string> NotConverged { get; } = [];

    /// <summary>Silo processes that ended without being killed.</summary>
    public List<string> Crashed { get; } = [];

    /// <summary>Every violation, labelled.</summary>
    public IEnumerable<string> Violations =>
        LostWrites.Select(v => "lost write: " + v)
            .Concat(CapacityBroken.Select(v => "capacity: " + v))
            .Concat(RunningTwice.Select(v => "running twice: " + v))
            .Concat(JobRunsNotOnce.Select(v => "job run: " + v))
            .Concat(UpdatesNeverReceived.Select(v => "update never received: " + v))
            .Concat(NotConverged.Select(v => "not converged: " + v))
            .Concat(Crashed.Select(v => "crashed: " + v));

    /// <summary>App writes sent, acknowledged, and of unknown outcome.</summary>
    public (int Sent, int Acknowledged, int Unknown) AppWrites { get; set; }

    /// <summary>Jobs created (acknowledged) and job runs seen.</summary>
    public (int Jobs, int Runs, int Skipped) Jobs { get; set; }

    /// <summary>External framework tasks launched and subscriptions it needed.</summary>
    public (int Tasks, int Subscriptions) Framework { get; set; }

    /// <summary>Marathon status updates read, and stream attachments.</summary>
    public (int StatusUpdates, int Attachments) Events { get; set; }

    /// <summary>Silo kills, node daemon kills and PostgreSQL crashes done.</summary>
    public (int Silos, int Daemons, int Postgres) Kills { get; set; }

    /// <summary>Seconds from the end of the chaos until every app was converged (or the deadline).</summary>
    public double ConvergeSeconds { get; set; }
}
