using System.Globalization;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Runtime.Storage;

/// <summary>
/// Grain state in a SQL table keyed by (service, state name, grain id) with a version column: the first
/// write inserts version 1 (a concurrent first write loses on the primary key), every later write
/// updates only where the version still matches.
/// </summary>
public sealed class SqlGrainStorage(SqlDatabase database, string serviceId) : IGrainStorage, IAsyncDisposable
{
    // PostgreSQL writes go through group commit; SQLite serializes writers in the file anyway.
    private readonly PostgresWriteBatcher? _batcher = database is PostgresDatabase postgres ? new PostgresWriteBatcher(postgres) : null;

    /// <inheritdoc />
    public async Task<GrainStateRecord?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection,
            "SELECT payload, version FROM grain_state WHERE service_id = @s AND state_name = @n AND grain_id = @g",
            ("@s", serviceId), ("@n", stateName), ("@g", grainId.ToString()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new GrainStateRecord(reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture))
            : null;
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(string stateName, GrainId grainId, string json, string? etag, CancellationToken cancellationToken = default)
    {
        var sql = etag is null
            ? $"INSERT INTO grain_state (service_id, state_name, grain_id, payload, version, modified_at) VALUES (@s, @n, @g, {database.Json("@p")}, 1, @t) ON CONFLICT DO NOTHING RETURNING version"
            : $"UPDATE grain_state SET payload = {database.Json("@p")}, version = version + 1, modified_at = @t WHERE service_id = @s AND state_name = @n AND grain_id = @g AND version = @v RETURNING version";
        (string, object?)[] parameters = [("@s", serviceId), ("@n", stateName), ("@g", grainId.ToString()), ("@p", json), ("@t", DateTime.UtcNow), ("@v", ParseEtag(etag))];
        long? version;
        if (_batcher is not null)
        {
            version = await _batcher.WriteAsync(sql, parameters);
        }
        else
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = SqlDatabase.Command(connection, sql, parameters);
            var result = await command.ExecuteScalarAsync(cancellationToken);
            version = result is null or DBNull ? null : Convert.ToInt64(result, CultureInfo.InvariantCulture);
        }

        if (version is null)
        {
            throw StorageConflicts.Write(stateName, grainId, etag, await CurrentVersionAsync(stateName, grainId, cancellationToken));
        }

        return version.Value.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task ClearAsync(string stateName, GrainId grainId, string? etag, CancellationToken cancellationToken = default)
    {
        if (etag is null)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection,
            "DELETE FROM grain_state WHERE service_id = @s AND state_name = @n AND grain_id = @g AND version = @v",
            ("@s", serviceId), ("@n", stateName), ("@g", grainId.ToString()), ("@v", ParseEtag(etag)));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw StorageConflicts.Write(stateName, grainId, etag, await CurrentVersionAsync(stateName, grainId, cancellationToken));
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _batcher?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<string?> CurrentVersionAsync(string stateName, GrainId grainId, CancellationToken cancellationToken) =>
        (await ReadAsync(stateName, grainId, cancellationToken))?.Etag;

    private static long ParseEtag(string? etag) =>
        etag is null ? 0 : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
}
