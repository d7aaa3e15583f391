namespace OrleansDcos.Runtime.Activation;

/// <summary>
/// Runs an activation's turns one at a time on the thread pool. Await continuations inside grain code
/// come back here (it is <see cref="TaskScheduler.Current"/> while a turn runs), so code between awaits
/// never runs in parallel. Tasks are never inlined. Small: one queue, allocated on first use.
/// </summary>
internal sealed class ActivationScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private const int TurnsPerDispatch = 64;
    private Queue<Task>? _tasks;
    private bool _dispatching;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <summary>The activation this scheduler runs.</summary>
    public ActivationData? Owner { get; set; }

    /// <summary>Starts <paramref name="work"/> as a turn of this activation.</summary>
    public void Run(Func<object?, Task> work, object? state) =>
        Task.Factory.StartNew(work, state, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        lock (this)
        {
            (_tasks ??= new Queue<Task>()).Enqueue(task);
            if (_dispatching)
            {
                return;
            }

            _dispatching = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
    }

    void IThreadPoolWorkItem.Execute()
    {
        for (var i = 0; i < TurnsPerDispatch; i++)
        {
            Task? task;
            lock (this)
            {
                if (!_tasks!.TryDequeue(out task))
                {
                    _dispatching = false;
                    return;
                }
            }

            TryExecuteTask(task);
        }

        // Let other activations run; come back for the rest.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (this)
        {
            return _tasks?.ToArray() ?? [];
        }
    }
}
