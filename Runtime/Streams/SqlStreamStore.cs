using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Runtime.Streams;

/// <summary>
/// The stream store in SQL (PostgreSQL or SQLite). An append upserts the stream's head row (taking its
/// lock) and inserts the events in one transaction, so sequences are consecutive and commit in order;
/// concurrent appends to one stream share a transaction.
/// </summary>
public sealed class SqlStreamStore(SqlDatabase database, string serviceId) : IStreamStore
{
    private const string StreamKey = "service_id = @s AND provider = @p AND stream_ns = @n AND stream_key = @k";

    private const int MaxBatch = 2000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Provider, StreamId Stream), GroupCommitQueue<string, long>> _appenders = new();

    /// <inheritdoc />
    /// <remarks>
    /// Appends to one stream that arrive while an earlier batch is being written go together in the next
    /// transaction (one head update, one multi-row insert): the head row's lock is taken once per batch rather
    /// than once per event, so a busy stream writes thousands of events per second. Order of arrival is order
    /// in the stream; each caller's task completes once its event is committed.
    /// </remarks>
    public Task<long> AppendAsync(string provider, StreamId stream, string json, CancellationToken cancellationToken = default) =>
        _appenders.GetOrAdd((provider, stream), key => new GroupCommitQueue<string, long>(
            payloads => AppendBatchAsync(key.Provider, key.Stream, payloads, CancellationToken.None), MaxBatch)).EnqueueAsync(json, cancellationToken);

    private async Task<long[]> AppendBatchAsync(string provider, StreamId stream, IReadOnlyList<string> payloads, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var head = SqlDatabase.Command(connection, """
            INSERT INTO stream_heads (service_id, provider, stream_ns, stream_key, last_seq) VALUES (@s, @p, @n, @k, @c)
            ON CONFLICT (service_id, provider, stream_ns, stream_key) DO UPDATE SET last_seq = stream_heads.last_seq + @c
            RETURNING last_seq
            """, [.. Key(provider, stream), ("@c", (long)payloads.Count)]);
        head.Transaction = transaction;
        var last = Convert.ToInt64(await head.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        var first = last - payloads.Count + 1;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, provider, stream, payloads, first, now, cancellationToken);
        }
        else
        {
            await InsertAsync(connection, transaction, provider, stream, payloads, first, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return Enumerable.Range(0, payloads.Count).Select(i => first + i).ToArray();
    }

    /// <summary>A batch's rows as multi-row INSERTs (SQLite).</summary>
    private async Task InsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string provider, StreamId stream, IReadOnlyList<string> payloads, long first, long now, CancellationToken cancellationToken)
    {
        const int RowsPerStatement = 200;
        for (var offset = 0; offset < payloads.Count; offset += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, payloads.Count - offset);
            var values = string.Join(", ", Enumerable.Range(0, rows).Select(i => $"(@s, @p, @n, @k, @q{i}, {database.Json($"@j{i}")}, @t)"));
            var parameters = new List<(string, object?)>(Key(provider, stream)) { ("@t", now) };
            for (var i = 0; i < rows; i++)
            {
                parameters.Add(($"@q{i}", first + offset + i));
                parameters.Add(($"@j{i}", payloads[offset + i]));
            }

            await using var insert = SqlDatabase.Command(connection,
                $"INSERT INTO stream_log (service_id, provider, stream_ns, stream_key, seq, payload, appended_at) VALUES {values}", [.. parameters]);
            insert.Transaction = transaction;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>PostgreSQL takes a batch's rows fastest as one binary COPY (in the batch's transaction).</summary>
    private async Task CopyAsync(NpgsqlConnection connection, string provider, StreamId stream, IReadOnlyList<string> payloads, long first, long now, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY stream_log (service_id, provider, stream_ns, stream_key, seq, payload, appended_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
        for (var i = 0; i < payloads.Count; i++)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(serviceId, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(provider, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(stream.Namespace, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(stream.Key, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(first + i, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(payloads[i], NpgsqlDbType.Jsonb, cancellationToken);
            await copy.WriteAsync(now, NpgsqlDbType.Bigint, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> ReadAsync(string provider, StreamId stream, long after, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection,
            $"SELECT seq, payload, appended_at FROM stream_log WHERE {StreamKey} AND seq > @a ORDER BY seq LIMIT @m",
            [.. Key(provider, stream), ("@a", after), ("@m", max)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<StoredEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return events;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(StreamId Stream, long Head)>> HeadsAsync(string provider, string streamNamespace, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection,
            "SELECT stream_key, last_seq FROM stream_heads WHERE service_id = @s AND provider = @p AND stream_ns = @n",
            ("@s", serviceId), ("@p", provider), ("@n", streamNamespace));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var heads = new List<(StreamId, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            heads.Add((new StreamId(streamNamespace, reader.GetString(0)), reader.GetInt64(1)));
        }

        return heads;
    }

    /// <inheritdoc />
    public async Task<long> HeadAsync(string provider, StreamId stream, CancellationToken cancellationToken = default) =>
        await ScalarAsync($"SELECT last_seq FROM stream_heads WHERE {StreamKey}", Key(provider, stream), cancellationToken) ?? 0;

    /// <inheritdoc />
    public async Task<long> OldestRetainedAsync(string provider, StreamId stream, CancellationToken cancellationToken = default) =>
        await ScalarAsync($"SELECT min(seq) FROM stream_log WHERE {StreamKey}", Key(provider, stream), cancellationToken)
        ?? await HeadAsync(provider, stream, cancellationToken) + 1;

    /// <inheritdoc />
    public Task SaveSubscriptionAsync(string provider, Guid subscriptionId, StreamId stream, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            INSERT INTO stream_subscriptions (service_id, provider, subscription_id, stream_ns, stream_key) VALUES (@s, @p, @i, @n, @k)
            ON CONFLICT (service_id, provider, subscription_id) DO NOTHING
            """, [.. Key(provider, stream), ("@i", subscriptionId.ToString("N"))], cancellationToken);

    /// <inheritdoc />
    public Task DeleteSubscriptionAsync(string provider, Guid subscriptionId, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            DELETE FROM stream_subscriptions WHERE service_id = @s AND provider = @p AND subscription_id = @i;
            DELETE FROM stream_checkpoints WHERE service_id = @s AND provider = @p AND consumer = @c;
            """, [("@s", serviceId), ("@p", provider), ("@i", subscriptionId.ToString("N")), ("@c", StreamConsumerKeys.Explicit(subscriptionId))], cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<Guid>> ListSubscriptionsAsync(string provider, StreamId stream, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, $"SELECT subscription_id FROM stream_subscriptions WHERE {StreamKey}", Key(provider, stream));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(Guid.ParseExact(reader.GetString(0), "N"));
        }

        return ids;
    }

    /// <inheritdoc />
    public Task SaveCheckpointAsync(string provider, string consumer, long sequence, CancellationToken cancellationToken = default) =>
        ExecuteAsync("""
            INSERT INTO stream_checkpoints (service_id, provider, consumer, seq) VALUES (@s, @p, @c, @q)
            ON CONFLICT (service_id, provider, consumer) DO UPDATE SET seq = excluded.seq
            """, [("@s", serviceId), ("@p", provider), ("@c", consumer), ("@q", sequence)], cancellationToken);

    /// <inheritdoc />
    public Task<long?> LoadCheckpointAsync(string provider, string consumer, CancellationToken cancellationToken = default) =>
        ScalarAsync("SELECT seq FROM stream_checkpoints WHERE service_id = @s AND provider = @p AND consumer = @c",
            [("@s", serviceId), ("@p", provider), ("@c", consumer)], cancellationToken);

    /// <inheritdoc />
    public async Task<int> TrimAsync(string provider, DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection,
            "DELETE FROM stream_log WHERE service_id = @s AND provider = @p AND appended_at < @t",
            ("@s", serviceId), ("@p", provider), ("@t", olderThan.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private (string, object?)[] Key(string provider, StreamId stream) =>
        [("@s", serviceId), ("@p", provider), ("@n", stream.Namespace), ("@k", stream.Key)];

    private async Task ExecuteAsync(string sql, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long?> ScalarAsync(string sql, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }
}
