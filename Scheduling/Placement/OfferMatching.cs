namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// A framework's answer to a round of offers (Marathon's offer matcher), as a pure decision: the queued groups, oldest
/// first, are placed one after another on what the offered agents hold, each seeing the tasks placed before it and
/// those its group already runs (for constraints); and how long the offers not used are refused.
/// </summary>
public static class OfferMatching
{
    /// <summary>Places <paramref name="queued"/> (in that order) on <paramref name="agents"/>, seeing <paramref name="existing"/>.</summary>
    public static IReadOnlyList<LaunchMatch> Match(IReadOnlyList<OfferedAgent> agents, IReadOnlyList<QueuedLaunch> queued, IEnumerable<PlacedTask> existing, Random random)
    {
        if (queued.Count == 0 || agents.Count == 0)
        {
            return [];
        }

        var engine = new PlacementEngine(agents.Select(a => (a.Agent, a.Available)), random);
        foreach (var task in existing)
        {
            engine.AddExistingTask(task.GroupId, task.Agent);
        }

        return [.. queued.Select(q => new LaunchMatch(q.Request.GroupId, q.Count, engine.Place(q.Request, q.Count), agents.Count))];
    }

    /// <summary>
    /// How long offers not used are refused: briefly while launches still wait (other agents may free up, and a
    /// revive clears the filter anyway), long when nothing waits (the framework suppresses and revives when it needs more).
    /// </summary>
    public static TimeSpan RefuseFor(bool launchesWait, TimeSpan whileWaiting) => launchesWait ? whileWaiting : IdleRefusal;

    /// <summary>The refusal when nothing waits (two minutes, as Marathon declines idle offers).</summary>
    public static readonly TimeSpan IdleRefusal = TimeSpan.FromSeconds(120);
}
