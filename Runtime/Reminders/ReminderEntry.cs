namespace OrleansDcos.Runtime.Reminders;

/// <summary>A durable reminder: it ticks at <see cref="StartAt"/> + N × <see cref="Period"/>.</summary>
public sealed record ReminderEntry(GrainId GrainId, string Name, DateTimeOffset StartAt, TimeSpan Period, string Etag = "") : IGrainReminder
{
    /// <inheritdoc />
    public string ReminderName => Name;

    /// <summary>The first tick at or after <paramref name="now"/> (missed ticks are skipped, never replayed).</summary>
    public DateTimeOffset NextTickAtOrAfter(DateTimeOffset now)
    {
        if (now <= StartAt)
        {
            return StartAt;
        }

        var periods = (long)Math.Ceiling((now - StartAt).Ticks / (double)Period.Ticks);
        return StartAt + TimeSpan.FromTicks(Period.Ticks * periods);
    }
}

/// <summary>Where reminders are kept (PostgreSQL, SQLite or memory).</summary>
public interface IReminderTable
{
    /// <summary>Every reminder of the service.</summary>
    Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>One reminder, or null.</summary>
    Task<ReminderEntry?> ReadAsync(GrainId grainId, string name, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a reminder; returns its new version.</summary>
    Task<string> UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Deletes a reminder; false when there was none.</summary>
    Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken = default);
}
