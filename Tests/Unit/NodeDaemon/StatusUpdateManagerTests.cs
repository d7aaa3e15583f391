using System.Threading.Channels;
using OrleansDcos.Mesos;
using OrleansDcos.NodeDaemon.StatusUpdates;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

/// <summary>Journaled status updates: in order per task, resent until acknowledged, kept across restarts.</summary>
[Trait("Area", "Agent")]
public sealed class StatusUpdateManagerTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _dir = new();
    private readonly Channel<TaskStatusUpdate> _sent = Channel.CreateUnbounded<TaskStatusUpdate>();

    private StatusUpdateManager NewManager(TimeSpan? retry = null) => new(
        _dir.Path,
        (update, _) => { _sent.Writer.TryWrite(update); return Task.CompletedTask; },
        new StatusUpdateRetry(retry ?? TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10)));

    private static TaskStatusUpdate Update(string task, TaskState state) => new(task, "fw", state, Guid.NewGuid(), 0);

    private Task<TaskStatusUpdate> NextSentAsync() => _sent.Reader.ReadAsync().AsTask().WaitAsync(Wait);

    [Fact]
    public async Task Updates_of_a_task_go_one_at_a_time_in_order_each_after_the_previous_is_acknowledged()
    {
        await using var manager = NewManager();
        var (starting, running, finished) = (Update("t1", TaskState.TASK_STARTING), Update("t1", TaskState.TASK_RUNNING), Update("t1", TaskState.TASK_FINISHED));
        await manager.RecordAsync(starting);
        await manager.RecordAsync(running);
        await manager.RecordAsync(finished);

        Assert.Equal(starting, await NextSentAsync());
        Assert.False(_sent.Reader.TryRead(out _));
        Assert.True(await manager.AcknowledgeAsync("t1", starting.Uuid));
        Assert.Equal(running, await NextSentAsync());
        Assert.True(await manager.AcknowledgeAsync("t1", running.Uuid));
        Assert.Equal(finished, await NextSentAsync());
    }

    [Fact]
    public async Task Other_tasks_are_not_held_up_by_an_unacknowledged_update()
    {
        await using var manager = NewManager();
        await manager.RecordAsync(Update("a", TaskState.TASK_RUNNING));
        await manager.RecordAsync(Update("b", TaskState.TASK_RUNNING));

        var sent = new[] { await NextSentAsync(), await NextSentAsync() };

        Assert.Equal(["a", "b"], sent.Select(u => u.TaskId).Order());
    }

    [Fact]
    public async Task An_unacknowledged_update_is_resent_until_acknowledged()
    {
        await using var manager = NewManager(retry: TimeSpan.FromMilliseconds(20));
        var running = Update("t1", TaskState.TASK_RUNNING);
        await manager.RecordAsync(running);

        Assert.Equal(running, await NextSentAsync());
        Assert.Equal(running, await NextSentAsync());
        Assert.Equal(running, await NextSentAsync());
        Assert.True(await manager.AcknowledgeAsync("t1", running.Uuid));
        Assert.Empty(manager.Pending());
    }

    [Fact]
    public async Task A_failed_send_is_retried()
    {
        var attempts = 0;
        var delivered = new TaskCompletionSource<TaskStatusUpdate>();
        await using var manager = new StatusUpdateManager(_dir.Path, (update, _) =>
        {
            if (++attempts < 3)
            {
                throw new IOException("the silo is unreachable");
            }

            delivered.TrySetResult(update);
            return Task.CompletedTask;
        }, new StatusUpdateRetry(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50)));
        var running = Update("t1", TaskState.TASK_RUNNING);

        await manager.RecordAsync(running);

        Assert.Equal(running, await delivered.Task.WaitAsync(Wait));
    }

    [Fact]
    public async Task A_restarted_daemon_resends_what_was_not_acknowledged_in_order()
    {
        var (starting, running, failed) = (Update("t1", TaskState.TASK_STARTING), Update("t1", TaskState.TASK_RUNNING), Update("t1", TaskState.TASK_FAILED));
        await using (var before = NewManager())
        {
            await before.RecordAsync(starting);
            await before.RecordAsync(running);
            await before.RecordAsync(failed);
            Assert.Equal(starting, await NextSentAsync());
            Assert.True(await before.AcknowledgeAsync("t1", starting.Uuid));
            Assert.Equal(running, await NextSentAsync());
        }

        await using var after = NewManager();
        var latest = after.Recover();

        Assert.Equal(failed, latest["t1"]);
        Assert.Equal([running, failed], after.Pending());
        Assert.Equal(running, await NextSentAsync());
        Assert.True(await after.AcknowledgeAsync("t1", running.Uuid));
        Assert.Equal(failed, await NextSentAsync());
    }

    [Fact]
    public async Task A_journal_is_removed_once_its_terminal_update_is_acknowledged()
    {
        await using var manager = NewManager();
        var finished = Update("t1", TaskState.TASK_FINISHED);
        await manager.RecordAsync(finished);
        await NextSentAsync();
        Assert.Single(Directory.GetFiles(_dir.Path));

        Assert.True(await manager.AcknowledgeAsync("t1", finished.Uuid));

        Assert.Empty(Directory.GetFiles(_dir.Path));
        Assert.Empty(manager.Pending());
    }

    [Fact]
    public async Task Unknown_and_out_of_order_acknowledgements_are_ignored()
    {
        await using var manager = NewManager();
        var (starting, running) = (Update("t1", TaskState.TASK_STARTING), Update("t1", TaskState.TASK_RUNNING));
        await manager.RecordAsync(starting);
        await manager.RecordAsync(running);

        Assert.False(await manager.AcknowledgeAsync("t1", running.Uuid));
        Assert.False(await manager.AcknowledgeAsync("nope", starting.Uuid));
        Assert.Equal([starting, running], manager.Pending());
    }

    [Fact]
    public async Task A_torn_last_line_from_a_crash_mid_append_is_ignored()
    {
        var running = Update("t1", TaskState.TASK_RUNNING);
        await using (var before = NewManager())
        {
            await before.RecordAsync(running);
        }

        await File.AppendAllTextAsync(Directory.GetFiles(_dir.Path).Single(), "{\"update\":{\"task_id\":\"t1\",\"sta");
        await using var after = NewManager();

        Assert.Equal(running, after.Recover()["t1"]);
        Assert.Equal([running], after.Pending());
    }

    public void Dispose() => _dir.Dispose();
}
