using System.Threading.Channels;
using OrleansDcos.Grains.Security;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// Records every state-changing call (any method but GET, HEAD and OPTIONS) after it is answered — who, what, when, the
/// status — and hands them to the audit grain in batches each second. At most <see cref="MaxPending"/> wait; more
/// are counted and dropped (the grain unreachable for long). A silo killed outright loses the last second's entries.
/// </summary>
public sealed partial class AuditRecorder(IGrainFactory grains, TimeProvider time, ILogger<AuditRecorder> logger) : BackgroundService
{
    /// <summary>The most entries held waiting for the audit grain.</summary>
    public const int MaxPending = 10_000;

    /// <summary>The key of <see cref="HttpContext.Items"/> a handler sets to name who a call was about (login's uid).</summary>
    public const string SubjectItem = "audit.subject";

    private readonly Channel<AuditRecord> _pending = Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(MaxPending)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    /// <summary>Runs the call, then records it when it changed (or tried to change) something.</summary>
    public async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method))
        {
            return;
        }

        var principal = context.Features.Get<Access>()?.Principal ?? "anonymous";
        var path = context.Request.Path.Value ?? "/";
        var subject = context.Items.TryGetValue(SubjectItem, out var s) && s is string about ? about : null;
        _pending.Writer.TryWrite(new AuditRecord(0, time.GetUtcNow(), principal, context.Request.Method, path, context.Response.StatusCode, subject));
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }

        await FlushAsync(); // what the last second recorded, on a clean stop
    }

    private async Task FlushAsync()
    {
        var batch = new List<AuditRecord>();
        while (batch.Count < MaxPending && _pending.Reader.TryRead(out var entry))
        {
            batch.Add(entry);
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await grains.GetGrain<IAuditGrain>(IAuditGrain.Key).Append(batch);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Put them back for the next try (the oldest go first if the channel fills).
            foreach (var entry in batch)
            {
                _pending.Writer.TryWrite(entry);
            }

            FlushFailed(logger, batch.Count, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit: {Count} entries not written yet ({Reason}); trying again")]
    private static partial void FlushFailed(ILogger logger, int count, string reason);
}
