using System.Text.Json;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.Tasks;

namespace OrleansDcos.NodeDaemon.StatusUpdates;

/// <summary>
/// Status updates the agent must not lose: each is appended to its task's journal (and flushed to disk)
/// before it is sent; per task only the oldest unacknowledged update is in flight, resent with backoff
/// until acknowledged by uuid, then the next one goes — so the master sees every update, in order, at
/// least once, across daemon and silo restarts. A task's journal is removed once its terminal update is
/// acknowledged. (Mesos' status update manager, with the same guarantees.)
/// </summary>
public sealed class StatusUpdateManager : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly string _directory;
    private readonly Func<TaskStatusUpdate, CancellationToken, Task> _send;
    private readonly StatusUpdateRetry _retry;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, TaskStream> _streams = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="directory">Where the journals live (one file per task).</param>
    /// <param name="send">Sends one update to the master; a failure (or no acknowledgement in time) means "resend later".</param>
    /// <param name="retry">Resend timing.</param>
    /// <param name="time">The clock (tests drive it).</param>
    public StatusUpdateManager(string directory, Func<TaskStatusUpdate, CancellationToken, Task> send, StatusUpdateRetry? retry = null, TimeProvider? time = null)
    {
        _directory = directory;
        _send = send;
        _retry = retry ?? new StatusUpdateRetry();
        _time = time ?? TimeProvider.System;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Unacknowledged updates, oldest first per task (for reregistration and the state endpoint).</summary>
    public IReadOnlyList<TaskStatusUpdate> Pending()
    {
        lock (_lock)
        {
            return _streams.Values.SelectMany(s => s.Pending).ToArray();
        }
    }

    /// <summary>
    /// Reads every journal left by an earlier run and resumes sending what was not acknowledged.
    /// Returns the latest update of every task with a journal.
    /// </summary>
    public IReadOnlyDictionary<string, TaskStatusUpdate> Recover()
    {
        var latest = new Dictionary<string, TaskStatusUpdate>();
        foreach (var file in Directory.GetFiles(_directory, "*.journal"))
        {
            var (updates, acknowledged) = ReadJournal(file);
            if (updates.Count == 0)
            {
                File.Delete(file);
                continue;
            }

            var taskId = updates[0].TaskId;
            latest[taskId] = updates[^1];
            var pending = updates.Where(u => !acknowledged.Contains(u.Uuid)).ToList();
            if (pending.Count == 0 && updates[^1].State.IsTerminal())
            {
                File.Delete(file);
                continue;
            }

            lock (_lock)
            {
                var stream = Stream(taskId, file);
                stream.Pending.AddRange(pending);
                stream.Kick();
            }
        }

        return latest;
    }

    /// <summary>Journals <paramref name="update"/> durably, then queues it for sending. Returns once it is on disk.</summary>
    public async Task RecordAsync(TaskStatusUpdate update)
    {
        TaskStream stream;
        lock (_lock)
        {
            stream = Stream(update.TaskId, JournalPath(update.TaskId));
        }

        await stream.AppendAsync(new JournalEntry(update, null));
        lock (_lock)
        {
            stream.Pending.Add(update);
            if (stream.Pending.Count == 1)
            {
                stream.Kick(); // the head changed; otherwise it goes once those before it are acknowledged
            }
        }
    }

    /// <summary>
    /// Records the acknowledgement of <paramref name="uuid"/> for <paramref name="taskId"/>; the next update of
    /// that task goes at once. False for an unknown or out-of-order acknowledgement (ignored, as Mesos does).
    /// </summary>
    public async Task<bool> AcknowledgeAsync(string taskId, Guid uuid)
    {
        TaskStream? stream;
        lock (_lock)
        {
            if (!_streams.TryGetValue(taskId, out stream) || stream.Pending.Count == 0 || stream.Pending[0].Uuid != uuid)
            {
                return false;
            }
        }

        await stream.AppendAsync(new JournalEntry(null, uuid));
        lock (_lock)
        {
            var acked = stream.Pending[0];
            stream.Pending.RemoveAt(0);
            if (stream.Pending.Count == 0 && acked.State.IsTerminal())
            {
                _streams.Remove(taskId);
                stream.Close(delete: true);
            }
            else
            {
                stream.Kick();
            }
        }

        return true;
    }

    /// <summary>Resends every task's unacknowledged head now (a new link is up: no need to wait out the backoff).</summary>
    public void ResendNow()
    {
        lock (_lock)
        {
            foreach (var stream in _streams.Values)
            {
                stream.Kick();
            }
        }
    }

    /// <summary>Stops sending (journals stay for the next run).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        TaskStream[] streams;
        lock (_lock)
        {
            streams = [.. _streams.Values];
            _streams.Clear();
        }

        foreach (var stream in streams)
        {
            stream.Close(delete: false);
        }
    }

    internal static (List<TaskStatusUpdate> Updates, HashSet<Guid> Acknowledged) ReadJournal(string file)
    {
        var updates = new List<TaskStatusUpdate>();
        var acknowledged = new HashSet<Guid>();
        foreach (var line in File.ReadLines(file))
        {
            JournalEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<JournalEntry>(line, Json);
            }
            catch (JsonException)
            {
                break; // a torn last line from a crash mid-append: nothing after it was acknowledged as written
            }

            if (entry?.Update is { } update)
            {
                updates.Add(update);
            }
            else if (entry?.Ack is { } ack)
            {
                acknowledged.Add(ack);
            }
        }

        return (updates, acknowledged);
    }

    private string JournalPath(string taskId) => TaskPaths.For(_directory, taskId, ".journal");

    private TaskStream Stream(string taskId, string file)
    {
        if (!_streams.TryGetValue(taskId, out var stream))
        {
            stream = new TaskStream(this, file);
            _streams[taskId] = stream;
        }

        return stream;
    }

    private sealed record JournalEntry(TaskStatusUpdate? Update, Guid? Ack);

    /// <summary>One task's journal file and its sender loop.</summary>
    private sealed class TaskStream
    {
        private readonly StatusUpdateManager _owner;
        private readonly FileStream _file;
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private readonly CancellationTokenSource _closed;
        private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskStream(StatusUpdateManager owner, string path)
        {
            _owner = owner;
            Path = path;
            _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
            _closed = CancellationTokenSource.CreateLinkedTokenSource(owner._stopping.Token);
            _ = SendLoopAsync();
        }

        public string Path { get; }

        /// <summary>Unacknowledged updates, oldest first (guarded by the owner's lock).</summary>
        public List<TaskStatusUpdate> Pending { get; } = [];

        public void Kick() => _wake.TrySetResult();

        public async Task AppendAsync(JournalEntry entry)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(entry, Json);
            await _writeLock.WaitAsync();
            try
            {
                await _file.WriteAsync(line);
                _file.WriteByte((byte)'\n');
                await _file.FlushAsync();
                _file.Flush(flushToDisk: true);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        public void Close(bool delete)
        {
            _closed.Cancel();
            _writeLock.Wait();
            _file.Dispose();
            if (delete)
            {
                File.Delete(Path);
            }
        }

        private async Task SendLoopAsync()
        {
            var token = _closed.Token;
            var attempt = 0;
            Guid? lastSent = null;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    TaskStatusUpdate? head;
                    Task wake;
                    lock (_owner._lock)
                    {
                        // A new wake-up before looking at the head: an ack or a first update after this is never missed.
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        wake = _wake.Task;
                        head = Pending.Count > 0 ? Pending[0] : null;
                    }

                    if (head is null)
                    {
                        await wake.WaitAsync(token);
                        continue;
                    }

                    attempt = head.Uuid == lastSent ? attempt + 1 : 0;
                    try
                    {
                        await _owner._send(head, token);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        // Not delivered: resent after the backoff.
                    }

                    lastSent = head.Uuid;

                    // Until it is acknowledged (which wakes us for the next one), resend after the backoff.
                    await Task.WhenAny(wake, Task.Delay(_owner._retry.Delay(attempt), _owner._time, token));
                    token.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException)
            {
                // Closed or stopping.
            }
        }
    }
}
