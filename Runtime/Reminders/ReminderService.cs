using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Reminders;

/// <summary>
/// Fires durable reminders: loads the table at start and every refresh interval, keeps one local
/// timer per reminder, and on each tick calls the grain's <see cref="IRemindable.ReceiveReminder"/>
/// (activating it). Ticks fall on start + N × period; missed ticks are skipped; a tick time is never
/// fired twice by this silo. In a cluster each silo fires the reminders whose grain it owns on the ring
/// of active silos, and takes over the ranges of silos that die.
/// </summary>
internal sealed partial class ReminderService(
    IReminderTable table,
    Catalog catalog,
    IRingOwnership ownership,
    IServiceProvider services,
    IOptions<GrainRuntimeOptions> options,
    TimeProvider time,
    ILogger<ReminderService> logger) : IAsyncDisposable
{
    private static readonly GrainMethod ReceiveReminder =
        GrainInterfaceInfo.Of(typeof(IRemindable)).Find(typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!);

    private readonly Dictionary<(GrainId, string), LocalReminder> _local = [];
    private ITimer? _refresh;

    private TimeProvider Time => time;

    /// <summary>Loads every reminder and starts the periodic refresh.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        ownership.Changed += () => _ = RefreshSafelyAsync();
        var every = options.Value.ReminderRefreshInterval;
        _refresh = time.CreateTimer(_ => _ = RefreshSafelyAsync(), null, every, every);
    }

    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainId grainId, GrainClassInfo grainClass, string name, TimeSpan dueTime, TimeSpan period)
    {
        if (!grainClass.IsRemindable)
        {
            throw new InvalidOperationException($"{grainClass.ClassType.Name} must implement IRemindable to register reminder '{name}'");
        }

        if (period < options.Value.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"reminder '{name}' period {period} is shorter than {GrainRuntimeOptions.SectionName}:MinimumReminderPeriod ({options.Value.MinimumReminderPeriod})");
        }

        // Whole milliseconds, as the table stores them: the grid must not move when it is reloaded.
        var start = DateTimeOffset.FromUnixTimeMilliseconds((time.GetUtcNow() + dueTime).ToUnixTimeMilliseconds());
        var entry = new ReminderEntry(grainId, name, start, TimeSpan.FromMilliseconds(Math.Round(period.TotalMilliseconds)));
        entry = entry with { Etag = await table.UpsertAsync(entry) };
        if (ownership.Owns(grainId.ToString()))
        {
            Schedule(entry);
        }
        else
        {
            await TellOwnerAsync(grainId);
        }

        return entry;
    }

    public async Task UnregisterAsync(GrainId grainId, string name)
    {
        await table.RemoveAsync(grainId, name);
        await TellOwnerAsync(grainId);
        lock (_local)
        {
            if (_local.Remove((grainId, name), out var local))
            {
                local.Dispose();
            }
        }
    }

    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string name) => await table.ReadAsync(grainId, name);

    /// <summary>Reminders this silo is firing.</summary>
    public int LocalCount
    {
        get
        {
            lock (_local)
            {
                return _local.Count;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _refresh?.Dispose();
        lock (_local)
        {
            foreach (var local in _local.Values)
            {
                local.Dispose();
            }

            _local.Clear();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Rereads the table now (another silo changed a reminder this silo owns).</summary>
    public Task RefreshNowAsync() => RefreshSafelyAsync();

    /// <summary>Makes the local timers match the owned rows of the table: new reminders start, changed ones restart, deleted or moved ones stop.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var entries = (await table.ReadAllAsync(cancellationToken)).Where(e => ownership.Owns(e.GrainId.ToString())).ToArray();
        var keys = entries.Select(e => (e.GrainId, e.Name)).ToHashSet();
        lock (_local)
        {
            foreach (var key in _local.Keys.Where(k => !keys.Contains(k)).ToArray())
            {
                _local.Remove(key, out var gone);
                gone!.Dispose();
            }
        }

        foreach (var entry in entries)
        {
            Schedule(entry);
        }
    }

    private async Task TellOwnerAsync(GrainId grainId)
    {
        if (ownership.OwnerOf(grainId.ToString()) is { } owner && !ownership.Owns(grainId.ToString())
            && services.GetService(typeof(OrleansDcos.Runtime.Messaging.SiloMessenger)) is OrleansDcos.Runtime.Messaging.SiloMessenger messenger)
        {
            await messenger.NotifyAsync(owner, "silo/reminders/refresh");
        }
    }

    private async Task RefreshSafelyAsync()
    {
        try
        {
            await RefreshAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.RefreshFailed(logger, ex);
        }
    }

    private void Schedule(ReminderEntry entry)
    {
        lock (_local)
        {
            if (_local.TryGetValue((entry.GrainId, entry.Name), out var existing))
            {
                if (existing.Entry.Etag == entry.Etag)
                {
                    return;
                }

                existing.Dispose();
            }

            var local = new LocalReminder(this, entry);
            _local[(entry.GrainId, entry.Name)] = local;
            local.ScheduleNext();
        }
    }

    private async Task FireAsync(ReminderEntry entry, DateTimeOffset tick)
    {
        var grainClass = catalog.Registry.ByType(entry.GrainId.Type);
        if (grainClass is null || !grainClass.IsRemindable)
        {
            Log.NotRemindable(logger, entry.GrainId, entry.Name);
            return;
        }

        var request = ReceiveReminder.CreateRequest(typeof(IRemindable), entry.GrainId.Key, [entry.Name, new TickStatus(entry.StartAt, entry.Period, tick)]);
        catalog.SendTo(grainClass, request);
        try
        {
            await request.ResultTask;
        }
        catch (Exception ex)
        {
            Log.TickFailed(logger, ex, entry.GrainId, entry.Name);
        }
    }

    /// <summary>The local timer of one reminder.</summary>
    private sealed class LocalReminder(ReminderService service, ReminderEntry entry) : IDisposable
    {
        private ITimer? _timer;
        private DateTimeOffset _next;
        private DateTimeOffset? _lastFired;
        private bool _disposed;

        public ReminderEntry Entry { get; } = entry;

        public void ScheduleNext()
        {
            lock (this)
            {
                if (_disposed)
                {
                    return;
                }

                var now = service.Time.GetUtcNow();
                var next = Entry.NextTickAtOrAfter(now);
                if (_lastFired is { } last && next <= last)
                {
                    next = last + Entry.Period;
                }

                _next = next;
                _timer ??= service.Time.CreateTimer(static state => ((LocalReminder)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer.Change(next - now, Timeout.InfiniteTimeSpan);
            }
        }

        public void Dispose()
        {
            lock (this)
            {
                _disposed = true;
                _timer?.Dispose();
            }
        }

        private void Fire()
        {
            DateTimeOffset tick;
            lock (this)
            {
                if (_disposed || _lastFired == _next)
                {
                    return;
                }

                tick = _next;
                _lastFired = tick;
            }

            _ = FireThenRescheduleAsync(tick);
        }

        private async Task FireThenRescheduleAsync(DateTimeOffset tick)
        {
            await service.FireAsync(Entry, tick);
            ScheduleNext();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1101, LogLevel.Warning, "Reminder {Name} of {GrainId}: its grain class is unknown or not IRemindable; tick skipped")]
        public static partial void NotRemindable(ILogger logger, GrainId grainId, string name);

        [LoggerMessage(1102, LogLevel.Warning, "Reminder {Name} of {GrainId}: the tick failed")]
        public static partial void TickFailed(ILogger logger, Exception exception, GrainId grainId, string name);

        [LoggerMessage(1103, LogLevel.Warning, "Reading the reminder table failed; will retry at the next refresh")]
        public static partial void RefreshFailed(ILogger logger, Exception exception);
    }
}
