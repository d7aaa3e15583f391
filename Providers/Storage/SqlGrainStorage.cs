using System.Globalization;
using System.Text.Json;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Providers.Storage;

/// <summary>
/// Orleans grain state in the <c>grain_state</c> table (PostgreSQL in a cluster, a SQLite file embedded), keyed by
/// (service, state name, grain id) with a version column that is the ETag: the first write inserts version 1 (a
/// concurrent first write loses on the primary key), every later write and every clear applies only where the
/// version still matches, and a write over a newer version throws <see cref="InconsistentStateException"/> with
/// nothing written. State is JSON (<see cref="StateJson"/>), readable in the table. On PostgreSQL writes are
/// group-committed (<see cref="PostgresWriteBatcher"/>): Orleans' own ADO.NET provider commits each write alone.
/// </summary>
/// <remarks>
/// Given an <see cref="IGrainStorageSerializer"/> (the stream pub-sub store: Orleans' own state types, which System.Text.Json
/// cannot read back), state is that serializer's bytes as a base64 JSON string; a row such a store cannot read (written
/// as plain JSON before) is started afresh and replaced by the next write.
/// </remarks>
public sealed class SqlGrainStorage(SqlDatabase database, string serviceId, TimeProvider? time = null, IGrainStorageSerializer? serializer = null) : IGrainStorage, IAsyncDisposable
{
    private readonly PostgresWriteBatcher? _batcher = database is PostgresDatabase postgres ? new PostgresWriteBatcher(postgres) : null;

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var record = await ReadAsync(stateName, grainId);
        grainState.State = record is null ? Activator.CreateInstance<T>() : Deserialize<T>(record.Value.Json) ?? Activator.CreateInstance<T>();
        grainState.ETag = record?.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = record is not null;
    }

    private T? Deserialize<T>(string json)
    {
        if (serializer is null)
        {
            return JsonSerializer.Deserialize<T>(json, StateJson.Options);
        }

        return JsonSerializer.Deserialize<JsonElement>(json) is { ValueKind: JsonValueKind.String } encoded
            ? serializer.Deserialize<T>(BinaryData.FromBytes(Convert.FromBase64String(encoded.GetString()!)))
            : default; // an older plain-JSON row of Orleans' types: unreadable, started afresh
    }

    private string Serialize<T>(T state) => serializer is null
        ? JsonSerializer.Serialize(state, StateJson.Options)
        : JsonSerializer.Serialize(Convert.ToBase64String(serializer.Serialize(state).ToArray()));

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var json = Serialize(grainState.State);
        var etag = grainState.ETag;
        var sql = etag is null
            ? $"INSERT INTO grain_state (service_id, state_name, grain_id, payload, version, modified_at) VALUES (@s, @n, @g, {database.Json("@p")}, 1, @t) ON CONFLICT DO NOTHING RETURNING version"
            : $"UPDATE grain_state SET payload = {database.Json("@p")}, version = version + 1, modified_at = @t WHERE service_id = @s AND state_name = @n AND grain_id = @g AND version = @v RETURNING version";
        (string, object?)[] parameters = [("@s", serviceId), ("@n", stateName), ("@g", grainId.ToString()), ("@p", json), ("@t", (time ?? TimeProvider.System).GetUtcNow().UtcDateTime), ("@v", ParseEtag(etag))];
        long? version;
        if (_batcher is not null)
        {
            version = await _batcher.WriteAsync(sql, parameters);
        }
        else
        {
            await using var connection = await database.OpenAsync();
            await using var command = SqlDatabase.Command(connection, sql, parameters);
            var result = await command.ExecuteScalarAsync();
            version = result is null or DBNull ? null : Convert.ToInt64(result, CultureInfo.InvariantCulture);
        }

        if (version is null)
        {
            throw await ConflictAsync(stateName, grainId, etag);
        }

        grainState.ETag = version.Value.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is { } etag)
        {
            int deleted;
            await using (var connection = await database.OpenAsync())
            {
                await using var command = SqlDatabase.Command(connection,
                    "DELETE FROM grain_state WHERE service_id = @s AND state_name = @n AND grain_id = @g AND version = @v",
                    ("@s", serviceId), ("@n", stateName), ("@g", grainId.ToString()), ("@v", ParseEtag(etag)));
                deleted = await command.ExecuteNonQueryAsync();
            }

            if (deleted == 0)
            {
                throw await ConflictAsync(stateName, grainId, etag);
            }
        }

        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _batcher?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<(string Json, long Version)?> ReadAsync(string stateName, GrainId grainId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = SqlDatabase.Command(connection,
            "SELECT payload, version FROM grain_state WHERE service_id = @s AND state_name = @n AND grain_id = @g",
            ("@s", serviceId), ("@n", stateName), ("@g", grainId.ToString()));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetString(0), reader.GetInt64(1)) : null;
    }

    private async Task<InconsistentStateException> ConflictAsync(string stateName, GrainId grainId, string? expected)
    {
        var stored = (await ReadAsync(stateName, grainId))?.Version.ToString(CultureInfo.InvariantCulture);
        return new InconsistentStateException(
            $"state '{stateName}' of {grainId}: stored version is {stored ?? "none"}, this activation has {expected ?? "none"}; the write was refused",
            stored, expected);
    }

    private static long ParseEtag(string? etag) =>
        etag is null ? 0 : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
}
