using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Providers.Hosting;

/// <summary>
/// At silo start, once the reminder table is up and before reminders are loaded, moves the reminders a database of the
/// previous home-made runtime holds into the reminder table (<see cref="PreviousLayout"/>) and says what of that layout
/// is not carried over. Nothing is dropped: an operator removes the old tables when done with them.
/// </summary>
public sealed partial class PreviousLayoutMigration(SqlDatabase database, string serviceId, IReminderTable reminders, ILogger<PreviousLayoutMigration> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PreviousLayoutMigration), ServiceLifecycleStage.AfterRuntimeGrainServices, MigrateAsync);

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var move = await PreviousLayout.MoveRemindersAsync(database, serviceId, reminders, cancellationToken);
        if (move.Moved + move.Superseded > 0)
        {
            LogRemindersMoved(move.Moved, move.Superseded);
        }

        if (move.Unreadable > 0)
        {
            LogRemindersUnreadable(move.Unreadable);
        }

        var events = await PreviousLayout.StreamLogEventsAsync(database, serviceId, cancellationToken);
        if (events > 0)
        {
            LogStreamLogNotReplayed(events);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Moved {Moved} reminder(s) of the previous layout's 'reminders' table into the reminder table ({Superseded} were registered again since and kept as they are)")]
    private partial void LogRemindersMoved(int moved, int superseded);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} row(s) of the previous layout's 'reminders' table have a grain id or period that cannot be read; they were left there and will not fire (the framework they belong to registers its failover reminder again when it next disconnects)")]
    private partial void LogRemindersUnreadable(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The previous layout's 'stream_log' holds {Events} event(s) of this service that are not replayed: event positions start again in the event log, so an SSE client resuming with an older Last-Event-ID gets the retained events from the start. Drop the tables stream_log, stream_heads, stream_subscriptions and stream_checkpoints once they are not needed")]
    private partial void LogStreamLogNotReplayed(long events);
}
