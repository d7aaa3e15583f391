using System.Data.Common;
using System.Globalization;
using Orleans;
using Orleans.Runtime;

namespace OrleansDcos.Providers.Sql;

/// <summary>
/// What a database written by the project's previous home-made runtime holds that today's providers do not read in
/// place. Grain state is read as it was (<c>grain_state</c>: same rows, grain ids and JSON). Its reminders
/// (<c>reminders</c>: grain id, name, start and period in Unix milliseconds) are moved into the Orleans reminder
/// table; its stream log (<c>stream_log</c>) is history that is not replayed into the event log.
/// </summary>
public static class PreviousLayout
{
    /// <summary>
    /// Moves this service's rows of the previous <c>reminders</c> table into <paramref name="target"/>, each removed
    /// from the old table once written. A reminder the target already has (registered again since) is kept as it is;
    /// a row whose grain id cannot be read stays where it is and is counted. Safe to run again and from several silos.
    /// </summary>
    public static async Task<PreviousReminderMove> MoveRemindersAsync(SqlDatabase database, string serviceId, IReminderTable target, CancellationToken cancellationToken = default)
    {
        if (!await HasTableAsync(database, "reminders", cancellationToken))
        {
            return new PreviousReminderMove(0, 0, 0);
        }

        var rows = new List<(string GrainId, string Name, long StartAt, long PeriodMs)>();
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = SqlDatabase.Command(connection,
            "SELECT grain_id, name, start_at, period_ms FROM reminders WHERE service_id = @s ORDER BY grain_id, name", ("@s", serviceId)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        int moved = 0, superseded = 0, unreadable = 0;
        foreach (var row in rows)
        {
            if (!GrainId.TryParse(row.GrainId, out var grainId) || grainId.IsDefault || row.PeriodMs <= 0)
            {
                unreadable++;
                continue;
            }

            if (await target.ReadRow(grainId, row.Name) is null)
            {
                await target.UpsertRow(new ReminderEntry
                {
                    GrainId = grainId,
                    ReminderName = row.Name,
                    StartAt = DateTimeOffset.FromUnixTimeMilliseconds(row.StartAt).UtcDateTime,
                    Period = TimeSpan.FromMilliseconds(row.PeriodMs),
                });
                moved++;
            }
            else
            {
                superseded++;
            }

            await ExecuteAsync(database, "DELETE FROM reminders WHERE service_id = @s AND grain_id = @g AND name = @n", cancellationToken,
                ("@s", serviceId), ("@g", row.GrainId), ("@n", row.Name));
        }

        return new PreviousReminderMove(moved, superseded, unreadable);
    }

    /// <summary>How many events of this service the previous layout's <c>stream_log</c> holds (0 when there is none).</summary>
    public static async Task<long> StreamLogEventsAsync(SqlDatabase database, string serviceId, CancellationToken cancellationToken = default)
    {
        if (!await HasTableAsync(database, "stream_log", cancellationToken))
        {
            return 0;
        }

        return await CountAsync(database, "SELECT count(*) FROM stream_log WHERE service_id = @s", cancellationToken, ("@s", serviceId));
    }

    private static async Task<bool> HasTableAsync(SqlDatabase database, string table, CancellationToken cancellationToken) =>
        await CountAsync(database, database.TableCountSql, cancellationToken, ("@table", table)) > 0;

    private static async Task<long> CountAsync(SqlDatabase database, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SqlDatabase.Command(connection, sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(SqlDatabase database, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using DbCommand command = SqlDatabase.Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
