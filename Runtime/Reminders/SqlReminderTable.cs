using System.Data.Common;
using System.Globalization;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Runtime.Reminders;

/// <summary>Reminders in the <c>reminders</c> table (times as Unix milliseconds).</summary>
public sealed class SqlReminderTable(SqlDatabase database, string serviceId) : IReminderTable
{
    private const string Columns = "grain_id, name, start_at, period_ms, version";

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, $"SELECT {Columns} FROM reminders WHERE service_id = @s", ("@s", serviceId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection,
            $"SELECT {Columns} FROM reminders WHERE service_id = @s AND grain_id = @g AND name = @n",
            ("@s", serviceId), ("@g", grainId.ToString()), ("@n", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async Task<string> UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, """
            INSERT INTO reminders (service_id, grain_id, name, start_at, period_ms, version) VALUES (@s, @g, @n, @a, @p, 1)
            ON CONFLICT (service_id, grain_id, name) DO UPDATE SET start_at = excluded.start_at, period_ms = excluded.period_ms, version = reminders.version + 1
            RETURNING version
            """,
            ("@s", serviceId), ("@g", entry.GrainId.ToString()), ("@n", entry.Name),
            ("@a", entry.StartAt.ToUnixTimeMilliseconds()), ("@p", (long)entry.Period.TotalMilliseconds));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection,
            "DELETE FROM reminders WHERE service_id = @s AND grain_id = @g AND name = @n",
            ("@s", serviceId), ("@g", grainId.ToString()), ("@n", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static ReminderEntry Read(DbDataReader reader) => new(
        GrainId.Parse(reader.GetString(0)),
        reader.GetString(1),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
        TimeSpan.FromMilliseconds(reader.GetInt64(3)),
        reader.GetInt64(4).ToString(CultureInfo.InvariantCulture));
}
