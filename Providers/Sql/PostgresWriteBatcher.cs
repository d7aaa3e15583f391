using System.Globalization;
using System.Threading.Channels;
using Npgsql;

namespace OrleansDcos.Providers.Sql;

/// <summary>
/// Group commit for PostgreSQL state writes. Writes queue up; each of a few writer loops takes what is
/// waiting (up to <see cref="MaxBatch"/>) and sends it as one <see cref="NpgsqlBatch"/>, which PostgreSQL
/// runs as one implicit transaction: one round trip and one commit for the lot. Every statement still
/// carries its own version check, so each write learns alone whether it succeeded or conflicted; a
/// write is acknowledged only after its batch committed. If the batch fails, every write in it fails.
/// </summary>
public sealed class PostgresWriteBatcher : IAsyncDisposable
{
    public const int MaxBatch = 256;
    private const int Writers = 4;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly PostgresDatabase _database;
    private readonly Task[] _writers;

    public PostgresWriteBatcher(PostgresDatabase database)
    {
        _database = database;
        _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>Queues a statement returning the new version (no row: conflict); completes when committed.</summary>
    public Task<long?> WriteAsync(string sql, (string Name, object? Value)[] parameters)
    {
        var write = new PendingWrite(sql, parameters);
        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(nameof(PostgresWriteBatcher));
        }

        return write.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count > 0)
            {
                await SendAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task SendAsync(List<PendingWrite> writes)
    {
        try
        {
            await using var connection = await _database.OpenAsync();
            await using var batch = new NpgsqlBatch((NpgsqlConnection)connection);
            foreach (var write in writes)
            {
                var command = new NpgsqlBatchCommand(write.Sql);
                foreach (var (name, value) in write.Parameters)
                {
                    command.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
                }

                batch.BatchCommands.Add(command);
            }

            var versions = new long?[writes.Count];
            try
            {
                await using var reader = await batch.ExecuteReaderAsync();
                for (var i = 0; i < writes.Count; i++)
                {
                    if (await reader.ReadAsync())
                    {
                        versions[i] = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                    }

                    await reader.NextResultAsync();
                }
            }
            finally
            {
                // A pooled connection keeps its last reader, and that reader this batch's commands: without this, every
                // idle connection would hold on to the last states it wrote (10,000 agents registering left ~8 MB).
                batch.BatchCommands.Clear();
            }

            // Only now, after the reader finished and the implicit transaction committed, acknowledge.
            for (var i = 0; i < writes.Count; i++)
            {
                writes[i].Completion.TrySetResult(versions[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var write in writes)
            {
                write.Completion.TrySetException(ex);
            }
        }
    }

    private sealed record PendingWrite(string Sql, (string Name, object? Value)[] Parameters)
    {
        public TaskCompletionSource<long?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
