using System.Text.Json;

namespace OrleansDcos.Runtime;

/// <summary>
/// One call to a grain: target, method, arguments, the caller's call chain and a deadline; it
/// completes exactly once, with the grain's result or the exception it threw.
/// </summary>
public abstract class GrainRequest
{
    private protected GrainRequest(GrainMethod method, Type interfaceType, string key, object?[] arguments)
    {
        Method = method;
        InterfaceType = interfaceType;
        Key = key;
        Arguments = arguments;
    }

    /// <summary>The method called.</summary>
    public GrainMethod Method { get; }

    /// <summary>The interface the caller used.</summary>
    public Type InterfaceType { get; }

    /// <summary>The grain key.</summary>
    public string Key { get; }

    /// <summary>The arguments.</summary>
    public object?[] Arguments { get; }

    /// <summary>The grain id, once the receiving side resolved the interface to a grain type.</summary>
    public GrainId Target { get; set; }

    /// <summary>The grains the call came through (null from outside any grain).</summary>
    public CallChain? CallChain { get; set; }

    /// <summary>When the caller stops waiting, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long DeadlineMs { get; set; } = long.MaxValue;

    private static readonly Action<GrainRequest> Done = _ => { };
    private Action<GrainRequest>? _onCompleted;

    /// <summary>
    /// Runs <paramref name="callback"/> synchronously on the thread that completes the request (at once
    /// when already completed). For short, non-blocking work only — a remote reply being queued — so a
    /// reply costs no thread hop. One callback per request.
    /// </summary>
    public void OnCompleted(Action<GrainRequest> callback)
    {
        if (Interlocked.CompareExchange(ref _onCompleted, callback, null) is { } previous)
        {
            if (!ReferenceEquals(previous, Done))
            {
                throw new InvalidOperationException("a request takes one completion callback");
            }

            callback(this);
        }
    }

    /// <summary>Call after completing: runs the completion callback, once.</summary>
    private protected void RunCompletionCallback()
    {
        if (Interlocked.Exchange(ref _onCompleted, Done) is { } callback && !ReferenceEquals(callback, Done))
        {
            callback(this);
        }
    }

    /// <summary>The exception the call ended with, when it failed.</summary>
    public Exception? Exception { get; private protected set; }

    /// <summary>True once completed.</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>The task the caller awaits (a <see cref="Task{TResult}"/>).</summary>
    public abstract Task ResultTask { get; }

    /// <summary>Runs the method on <paramref name="grain"/> and completes with its outcome (never throws).</summary>
    public abstract Task ExecuteAsync(object grain);

    /// <summary>Completes with <paramref name="exception"/> unless already completed.</summary>
    public abstract bool Fail(Exception exception);

    /// <summary>Completes with a JSON result (a remote answer).</summary>
    public abstract bool CompleteFromJson(JsonElement result, JsonSerializerOptions options);

    /// <summary>The completed result as JSON (to send a remote answer).</summary>
    public abstract JsonElement ResultAsJson(JsonSerializerOptions options);

    /// <summary>The completed result as UTF-8 JSON (to send a remote answer without an intermediate document).</summary>
    public abstract byte[] ResultAsUtf8Json(JsonSerializerOptions options);

    internal abstract object ValueTaskResult();
}

/// <summary>A request whose method yields <typeparamref name="T"/> (<see cref="VoidResult"/> when nothing).</summary>
public sealed class GrainRequest<T> : GrainRequest
{
    // Continuations run asynchronously: completing a request inside a grain's turn never runs the
    // caller's code on that turn.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal GrainRequest(GrainMethod method, Type interfaceType, string key, object?[] arguments)
        : base(method, interfaceType, key, arguments)
    {
    }

    /// <inheritdoc />
    public override bool IsCompleted => _completion.Task.IsCompleted;

    /// <inheritdoc />
    public override Task ResultTask => _completion.Task;

    /// <inheritdoc />
    public override async Task ExecuteAsync(object grain)
    {
        try
        {
            var task = Method.Invoke(grain, Arguments);
            await task;
            _completion.TrySetResult(task is Task<T> typed ? typed.Result : default!);
        }
        catch (Exception ex)
        {
            Exception = ex;
            _completion.TrySetException(ex);
        }

        RunCompletionCallback();
    }

    /// <inheritdoc />
    public override bool Fail(Exception exception)
    {
        Exception ??= exception;
        if (!_completion.TrySetException(exception))
        {
            return false;
        }

        RunCompletionCallback();
        return true;
    }

    /// <inheritdoc />
    public override bool CompleteFromJson(JsonElement result, JsonSerializerOptions options)
    {
        if (!_completion.TrySetResult(typeof(T) == typeof(VoidResult) ? default! : result.Deserialize<T>(options)!))
        {
            return false;
        }

        RunCompletionCallback();
        return true;
    }

    /// <inheritdoc />
    public override JsonElement ResultAsJson(JsonSerializerOptions options) =>
        JsonSerializer.SerializeToElement(_completion.Task.Result, options);

    /// <inheritdoc />
    public override byte[] ResultAsUtf8Json(JsonSerializerOptions options) =>
        JsonSerializer.SerializeToUtf8Bytes(_completion.Task.Result, options);

    internal override object ValueTaskResult() => new ValueTask<T>(_completion.Task);
}
