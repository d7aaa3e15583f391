using OrleansDcos.Grains;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Providers.Streams;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// Mesos' task counters for <c>/metrics/snapshot</c> (<c>master/tasks_finished</c>, <c>_failed</c>, <c>_killed</c>, …):
/// every status the cluster publishes on the durable task-status stream since this silo started, counted by state.
/// Each silo follows the stream itself, so any silo answers for the whole cluster; like a Mesos master's, the counters
/// rise monotonically for the life of the process and start again with it.
/// </summary>
internal sealed partial class TaskStateCounters(EventLogReader? events, TimeProvider time, ILogger<TaskStateCounters> logger) : BackgroundService
{
    private readonly long[] _counts = new long[Enum.GetValues<TaskState>().Max(s => (int)s) + 1];

    /// <summary>Statuses of <paramref name="state"/> published since this silo started.</summary>
    public long Count(TaskState state) => Interlocked.Read(ref _counts[(int)state]);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (events is null)
        {
            return; // a host without the event log (none in the product's hosts) counts nothing
        }

        long? position = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                position ??= await events.HeadAsync(MasterStreamProvider.Name, DcosStreams.TaskStatuses, stoppingToken);
                await foreach (var batch in events.FollowBatchesAsync<TaskStatusEvent>(MasterStreamProvider.Name, DcosStreams.TaskStatuses, position.Value, stoppingToken))
                {
                    foreach (var (update, at) in batch)
                    {
                        Interlocked.Increment(ref _counts[(int)update.Status.State]);
                        position = at;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StreamPositionNotRetainedException ex)
            {
                // Fell behind the retention: go on from the head (what was dropped is not counted).
                Skipped(logger, ex.Message);
                position = null;
            }
            catch (Exception ex)
            {
                // The database is not up yet, or a read failed: try again shortly.
                Retrying(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "task counters: {Message}; counting on from the head")]
    private static partial void Skipped(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "task counters: cannot follow the task-status stream yet ({Message}); retrying")]
    private static partial void Retrying(ILogger logger, string message);
}
