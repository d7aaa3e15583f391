using System.Data.Common;
using System.Globalization;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Providers.Reminders;

/// <summary>
/// Orleans' reminder table in the <c>reminder_rows</c> table of a <see cref="SqlDatabase"/>: the embedded silo's
/// reminders in its SQLite file (Orleans ships no SQLite reminder provider; a cluster uses Orleans' ADO.NET one on
/// PostgreSQL). Each row keeps the grain's uniform hash so a silo reads the range of the ring it owns, and a version
/// that is the ETag: an upsert bumps it, a removal applies only to the version the caller holds.
/// </summary>
public sealed class SqlReminderTable(SqlDatabase database, string serviceId) : IReminderTable
{
    private const string Columns = "grain_id, reminder_name, start_at, period_ms, version";

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        QueryAsync($"SELECT {Columns} FROM reminder_rows WHERE service_id = @s AND grain_id = @g", ("@s", serviceId), ("@g", grainId.ToString()));

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        // The ring range (begin, end]; when begin >= end it wraps around through zero.
        QueryAsync(
            $"SELECT {Columns} FROM reminder_rows WHERE service_id = @s AND " +
            (begin < end ? "grain_hash > @b AND grain_hash <= @e" : "(grain_hash > @b OR grain_hash <= @e)"),
            ("@s", serviceId), ("@b", (long)begin), ("@e", (long)end));

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await QueryAsync($"SELECT {Columns} FROM reminder_rows WHERE service_id = @s AND grain_id = @g AND reminder_name = @n",
            ("@s", serviceId), ("@g", grainId.ToString()), ("@n", reminderName))).Reminders.SingleOrDefault();

    /// <inheritdoc />
    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        await using var connection = await database.OpenAsync();
        await using var command = SqlDatabase.Command(connection,
            """
            INSERT INTO reminder_rows (service_id, grain_id, reminder_name, grain_hash, start_at, period_ms, version)
            VALUES (@s, @g, @n, @h, @a, @p, 1)
            ON CONFLICT (service_id, grain_id, reminder_name)
            DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, version = reminder_rows.version + 1
            RETURNING version
            """,
            ("@s", serviceId), ("@g", entry.GrainId.ToString()), ("@n", entry.ReminderName), ("@h", (long)entry.GrainId.GetUniformHashCode()),
            ("@a", new DateTimeOffset(DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds()),
            ("@p", (long)entry.Period.TotalMilliseconds));
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        await using var connection = await database.OpenAsync();
        await using var command = SqlDatabase.Command(connection,
            "DELETE FROM reminder_rows WHERE service_id = @s AND grain_id = @g AND reminder_name = @n AND version = @v",
            ("@s", serviceId), ("@g", grainId.ToString()), ("@n", reminderName), ("@v", version));
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <inheritdoc />
    public async Task TestOnlyClearTable()
    {
        await using var connection = await database.OpenAsync();
        await using var command = SqlDatabase.Command(connection, "DELETE FROM reminder_rows WHERE service_id = @s", ("@s", serviceId));
        await command.ExecuteNonQueryAsync();
    }

    private async Task<ReminderTableData> QueryAsync(string sql, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync();
        await using var command = SqlDatabase.Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync())
        {
            rows.Add(Read(reader));
        }

        return new ReminderTableData(rows);
    }

    private static ReminderEntry Read(DbDataReader reader) => new()
    {
        GrainId = GrainId.Parse(reader.GetString(0)),
        ReminderName = reader.GetString(1),
        StartAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)).UtcDateTime,
        Period = TimeSpan.FromMilliseconds(reader.GetInt64(3)),
        ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
    };
}
