using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Providers.Streams;

/// <summary>
/// The rewindable event log behind the project's Orleans stream provider, in the silo's database (PostgreSQL or
/// SQLite). Events are kept per (provider, queue) at consecutive positions: an append takes the queue's head row
/// (its lock) and inserts its rows in the same transaction, so positions commit in order and reading "after N"
/// never skips an event committed later. Appends to one queue that arrive while a batch is being written go
/// together in the next one (<see cref="GroupCommitQueue{TItem,TResult}"/>). Events stay until
/// <see cref="TrimAsync"/> drops them by age; a reader asks for a position and gets everything after it.
/// </summary>
public sealed class EventLog(SqlDatabase database, string serviceId, TimeProvider? time = null)
{
    /// <summary>The clock that stamps appended events and times their retention.</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    private const int MaxBatch = 2000;
    private readonly ConcurrentDictionary<(string Provider, int Queue), GroupCommitQueue<LogAppend, long>> _appenders = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _changed = new(StringComparer.Ordinal);

    /// <summary>The service whose events these are (several services may share one database).</summary>
    public string ServiceId => serviceId;

    /// <summary>Appends one event of stream (<paramref name="streamNamespace"/>, <paramref name="streamKey"/>) to <paramref name="queue"/>; returns its position once committed.</summary>
    public Task<long> AppendAsync(string provider, int queue, string streamNamespace, string streamKey, byte[] payload, CancellationToken cancellationToken = default) =>
        _appenders.GetOrAdd((provider, queue), key => new GroupCommitQueue<LogAppend, long>(batch => WriteBatchAsync(key.Provider, key.Queue, batch), MaxBatch))
            .EnqueueAsync(new LogAppend(streamNamespace, streamKey, payload), cancellationToken);

    /// <summary>Up to <paramref name="max"/> events of <paramref name="queue"/> after <paramref name="after"/>, in order.</summary>
    public Task<IReadOnlyList<LoggedEvent>> ReadQueueAsync(string provider, int queue, long after, int max, CancellationToken cancellationToken = default) =>
        ReadAsync(
            "SELECT position, stream_ns, stream_key, payload, appended_at FROM event_log WHERE service_id = @s AND provider = @p AND queue_id = @q AND position > @a ORDER BY position LIMIT @m",
            [("@s", serviceId), ("@p", provider), ("@q", (long)queue), ("@a", after), ("@m", (long)max)], cancellationToken);

    /// <summary>Up to <paramref name="max"/> events of one stream after <paramref name="after"/> (positions of its queue), in order.</summary>
    public Task<IReadOnlyList<LoggedEvent>> ReadStreamAsync(string provider, string streamNamespace, string streamKey, long after, int max, CancellationToken cancellationToken = default) =>
        ReadAsync(
            "SELECT position, stream_ns, stream_key, payload, appended_at FROM event_log WHERE service_id = @s AND provider = @p AND stream_ns = @n AND stream_key = @k AND position > @a ORDER BY position LIMIT @m",
            [("@s", serviceId), ("@p", provider), ("@n", streamNamespace), ("@k", streamKey), ("@a", after), ("@m", (long)max)], cancellationToken);

    /// <summary>The last position of <paramref name="queue"/> (0 when nothing was ever appended).</summary>
    public async Task<long> HeadAsync(string provider, int queue, CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT last_position FROM event_log_heads WHERE service_id = @s AND provider = @p AND queue_id = @q",
            [("@s", serviceId), ("@p", provider), ("@q", (long)queue)], cancellationToken) ?? 0;

    /// <summary>The last position of one stream's events still kept (0 when none).</summary>
    public async Task<long> StreamHeadAsync(string provider, string streamNamespace, string streamKey, CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT max(position) FROM event_log WHERE service_id = @s AND provider = @p AND stream_ns = @n AND stream_key = @k",
            [("@s", serviceId), ("@p", provider), ("@n", streamNamespace), ("@k", streamKey)], cancellationToken) ?? 0;

    /// <summary>The first position of one stream still kept, or null when none is.</summary>
    public Task<long?> StreamOldestAsync(string provider, string streamNamespace, string streamKey, CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT min(position) FROM event_log WHERE service_id = @s AND provider = @p AND stream_ns = @n AND stream_key = @k",
            [("@s", serviceId), ("@p", provider), ("@n", streamNamespace), ("@k", streamKey)], cancellationToken);

    /// <summary>How far <paramref name="queue"/>'s events were delivered (0 when never).</summary>
    public async Task<long> LoadCheckpointAsync(string provider, int queue, CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT position FROM event_log_checkpoints WHERE service_id = @s AND provider = @p AND queue_id = @q",
            [("@s", serviceId), ("@p", provider), ("@q", (long)queue)], cancellationToken) ?? 0;

    /// <summary>Records that <paramref name="queue"/>'s events up to <paramref name="position"/> were delivered (never moves back).</summary>
    public async Task SaveCheckpointAsync(string provider, int queue, long position, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, """
            INSERT INTO event_log_checkpoints (service_id, provider, queue_id, position) VALUES (@s, @p, @q, @a)
            ON CONFLICT (service_id, provider, queue_id) DO UPDATE SET position = excluded.position
            WHERE event_log_checkpoints.position < excluded.position
            """, ("@s", serviceId), ("@p", provider), ("@q", (long)queue), ("@a", position));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Drops the events of <paramref name="queue"/> appended before <paramref name="olderThan"/>, and records the last
    /// position dropped (<see cref="TrimmedThroughAsync"/>) so a reader asking for an older position learns it is gone.
    /// Returns how many were dropped.
    /// </summary>
    public async Task<int> TrimAsync(string provider, int queue, DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var last = SqlDatabase.Command(connection,
            "SELECT max(position) FROM event_log WHERE service_id = @s AND provider = @p AND queue_id = @q AND appended_at < @t",
            ("@s", serviceId), ("@p", provider), ("@q", (long)queue), ("@t", olderThan.ToUnixTimeMilliseconds()));
        last.Transaction = transaction;
        if (await last.ExecuteScalarAsync(cancellationToken) is not { } value || value is DBNull)
        {
            return 0;
        }

        (string, object?)[] through = [("@s", serviceId), ("@p", provider), ("@q", (long)queue), ("@a", Convert.ToInt64(value, CultureInfo.InvariantCulture))];
        await using var delete = SqlDatabase.Command(connection,
            "DELETE FROM event_log WHERE service_id = @s AND provider = @p AND queue_id = @q AND position <= @a", through);
        delete.Transaction = transaction;
        var dropped = await delete.ExecuteNonQueryAsync(cancellationToken);
        await using var mark = SqlDatabase.Command(connection,
            "UPDATE event_log_heads SET trimmed_through = @a WHERE service_id = @s AND provider = @p AND queue_id = @q AND trimmed_through < @a", through);
        mark.Transaction = transaction;
        await mark.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return dropped;
    }

    /// <summary>The last position of <paramref name="queue"/> dropped by <see cref="TrimAsync"/> (0 when none was).</summary>
    public async Task<long> TrimmedThroughAsync(string provider, int queue, CancellationToken cancellationToken = default) =>
        await ScalarAsync("SELECT trimmed_through FROM event_log_heads WHERE service_id = @s AND provider = @p AND queue_id = @q",
            [("@s", serviceId), ("@p", provider), ("@q", (long)queue)], cancellationToken) ?? 0;

    /// <summary>Completes when this process next commits an append for <paramref name="provider"/> (appends by other processes are found by polling).</summary>
    public Task Changed(string provider) => _changed.GetOrAdd(provider, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task<long[]> WriteBatchAsync(string provider, int queue, IReadOnlyList<LogAppend> batch)
    {
        await using var connection = await database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var head = SqlDatabase.Command(connection, """
            INSERT INTO event_log_heads (service_id, provider, queue_id, last_position) VALUES (@s, @p, @q, @c)
            ON CONFLICT (service_id, provider, queue_id) DO UPDATE SET last_position = event_log_heads.last_position + @c
            RETURNING last_position
            """, ("@s", serviceId), ("@p", provider), ("@q", (long)queue), ("@c", (long)batch.Count));
        head.Transaction = transaction;
        var last = Convert.ToInt64(await head.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        var first = last - batch.Count + 1;
        var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, provider, queue, batch, first, now);
        }
        else
        {
            await InsertAsync(connection, transaction, provider, queue, batch, first, now);
        }

        await transaction.CommitAsync();
        if (_changed.TryRemove(provider, out var changed))
        {
            changed.TrySetResult();
        }

        return [.. Enumerable.Range(0, batch.Count).Select(i => first + i)];
    }

    /// <summary>PostgreSQL takes a batch's rows fastest as one binary COPY (in the batch's transaction).</summary>
    private async Task CopyAsync(NpgsqlConnection connection, string provider, int queue, IReadOnlyList<LogAppend> batch, long first, long now)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY event_log (service_id, provider, queue_id, position, stream_ns, stream_key, payload, appended_at) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < batch.Count; i++)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(serviceId, NpgsqlDbType.Text);
            await copy.WriteAsync(provider, NpgsqlDbType.Text);
            await copy.WriteAsync((long)queue, NpgsqlDbType.Bigint);
            await copy.WriteAsync(first + i, NpgsqlDbType.Bigint);
            await copy.WriteAsync(batch[i].StreamNamespace, NpgsqlDbType.Text);
            await copy.WriteAsync(batch[i].StreamKey, NpgsqlDbType.Text);
            await copy.WriteAsync(batch[i].Payload, NpgsqlDbType.Bytea);
            await copy.WriteAsync(now, NpgsqlDbType.Bigint);
        }

        await copy.CompleteAsync();
    }

    /// <summary>A batch's rows as multi-row INSERTs (SQLite).</summary>
    private async Task InsertAsync(DbConnection connection, DbTransaction transaction, string provider, int queue, IReadOnlyList<LogAppend> batch, long first, long now)
    {
        const int RowsPerStatement = 100;
        for (var offset = 0; offset < batch.Count; offset += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, batch.Count - offset);
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@s, @p, @q, @a{i}, @n{i}, @k{i}, @b{i}, @t)"));
            var parameters = new List<(string, object?)> { ("@s", serviceId), ("@p", provider), ("@q", (long)queue), ("@t", now) };
            for (var i = 0; i < rows; i++)
            {
                var append = batch[offset + i];
                parameters.Add(($"@a{i}", first + offset + i));
                parameters.Add(($"@n{i}", append.StreamNamespace));
                parameters.Add(($"@k{i}", append.StreamKey));
                parameters.Add(($"@b{i}", append.Payload));
            }

            await using var insert = SqlDatabase.Command(connection,
                $"INSERT INTO event_log (service_id, provider, queue_id, position, stream_ns, stream_key, payload, appended_at) VALUES {values}", [.. parameters]);
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync();
        }
    }

    private async Task<IReadOnlyList<LoggedEvent>> ReadAsync(string sql, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<LoggedEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new LoggedEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), (byte[])reader.GetValue(3), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return events;
    }

    private async Task<long?> ScalarAsync(string sql, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    private sealed record LogAppend(string StreamNamespace, string StreamKey, byte[] Payload);
}
