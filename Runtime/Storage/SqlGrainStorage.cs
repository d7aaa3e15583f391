using System.Globalization;
using OrleansDcos.Runtime.Sql;

namespace OrleansDcos.Runtime.Storage;

/// <summary>
/// Grain state in a SQL table keyed by (service, state name, grain id) with a version column: the first
/// write inserts version 1 (a concurrent first write loses on the primary key), every later write
/// updates only where the version still matches.
/// </summary>
public sealed class SqlGrainStorage(SqlDatabase database, string serviceId) : IGrainStorage
{
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
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = etag is null
            ? $"INSERT INTO grain_state (service_id, state_name, grain_id, payload, version, modified_at) VALUES (@s, @n, @g, {database.Json("@p")}, 1, @t) ON CONFLICT DO NOTHING RETURNING version"
            : $"UPDATE grain_state SET payload = {database.Json("@p")}, version = version + 1, modified_at = @t WHERE service_id = @s AND state_name = @n AND grain_id = @g AND version = @v RETURNING version";
        await using var command = SqlDatabase.Command(connection, sql,
            ("@s", serviceId), ("@n", stateName), ("@g", grainId.ToString()), ("@p", json), ("@t", DateTime.UtcNow), ("@v", ParseEtag(etag)));
        var version = await command.ExecuteScalarAsync(cancellationToken);
        if (version is null or DBNull)
        {
            throw StorageConflicts.Write(stateName, grainId, etag, await CurrentVersionAsync(stateName, grainId, cancellationToken));
        }

        return Convert.ToInt64(version, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
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

    private async Task<string?> CurrentVersionAsync(string stateName, GrainId grainId, CancellationToken cancellationToken) =>
        (await ReadAsync(stateName, grainId, cancellationToken))?.Etag;

    private static long ParseEtag(string? etag) =>
        etag is null ? 0 : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
}
