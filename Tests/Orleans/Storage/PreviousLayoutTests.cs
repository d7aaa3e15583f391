using OrleansDcos.Providers.Hosting;
using OrleansDcos.Providers.Reminders;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Tests.Orleans.Clustering;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>
/// A database left by the previous home-made runtime: its reminders move into the Orleans reminder table at start,
/// and its stream log is counted (not replayed). The old tables are made here exactly as the runtime made them.
/// </summary>
[Trait("Area", "Orleans")]
public sealed class PreviousLayoutTests
{
    private const string RuntimeReminders = """
        CREATE TABLE reminders (
            service_id TEXT NOT NULL, grain_id TEXT NOT NULL, name TEXT NOT NULL,
            start_at BIGINT NOT NULL, period_ms BIGINT NOT NULL, version BIGINT NOT NULL,
            PRIMARY KEY (service_id, grain_id, name))
        """;

    private const string RuntimeStreamLog = """
        CREATE TABLE stream_log (
            service_id TEXT NOT NULL, provider TEXT NOT NULL, stream_ns TEXT NOT NULL, stream_key TEXT NOT NULL,
            seq BIGINT NOT NULL, payload TEXT NOT NULL, appended_at BIGINT NOT NULL,
            PRIMARY KEY (service_id, provider, stream_ns, stream_key, seq))
        """;

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task The_runtimes_reminders_move_into_the_reminder_table_once_and_a_newer_registration_wins(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        var table = new SqlReminderTable(db.Database, "svc");
        Assert.Equal(new PreviousReminderMove(0, 0, 0), await PreviousLayout.MoveRemindersAsync(db.Database, "svc", table));
        Assert.Equal(0, await PreviousLayout.StreamLogEventsAsync(db.Database, "svc"));

        var start = new DateTime(2026, 11, 30, 8, 0, 0, 125, DateTimeKind.Utc);
        var newer = GrainId.Create("framework", "f-2");
        await table.UpsertRow(new ReminderEntry { GrainId = newer, ReminderName = "failover", StartAt = start.AddDays(1), Period = TimeSpan.FromMinutes(5) });
        await ExecuteAsync(db.Database, RuntimeReminders);
        foreach (var (service, grain, period) in new[] { ("svc", "framework/f-1", 60_000L), ("svc", "framework/f-2", 60_000L), ("svc", "no-slash", 60_000L), ("other", "framework/f-3", 60_000L) })
        {
            await ExecuteAsync(db.Database, "INSERT INTO reminders VALUES (@s, @g, 'failover', @a, @p, 3)",
                ("@s", service), ("@g", grain), ("@a", new DateTimeOffset(start).ToUnixTimeMilliseconds()), ("@p", period));
        }

        Assert.Equal(new PreviousReminderMove(1, 1, 1), await PreviousLayout.MoveRemindersAsync(db.Database, "svc", table));

        var moved = await table.ReadRow(GrainId.Create("framework", "f-1"), "failover");
        Assert.NotNull(moved);
        Assert.Equal(start, moved.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(1), moved.Period);
        Assert.Equal(TimeSpan.FromMinutes(5), (await table.ReadRow(newer, "failover"))!.Period);
        Assert.Null(await table.ReadRow(GrainId.Create("framework", "f-3"), "failover")); // another service's row is not ours
        Assert.Equal(["no-slash", "framework/f-3"], await OldRowsAsync(db.Database));

        // Again (another silo, or the next start): nothing more to move.
        Assert.Equal(new PreviousReminderMove(0, 0, 1), await PreviousLayout.MoveRemindersAsync(db.Database, "svc", table));

        await ExecuteAsync(db.Database, RuntimeStreamLog);
        for (var seq = 1; seq <= 3; seq++)
        {
            await ExecuteAsync(db.Database, "INSERT INTO stream_log VALUES ('svc', 'default', 'tasks', 'all', @q, '{}', 0)", ("@q", (long)seq));
        }

        Assert.Equal(3, await PreviousLayout.StreamLogEventsAsync(db.Database, "svc"));
        Assert.Equal(0, await PreviousLayout.StreamLogEventsAsync(db.Database, "other"));
    }

    [Fact]
    public async Task A_silo_started_on_the_runtimes_sqlite_file_fires_the_reminders_the_runtime_had_registered()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "dcos.db");
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var key = $"probe-{Guid.NewGuid():N}";
        await using (var old = new SqliteDatabase(file))
        {
            await ExecuteAsync(old, RuntimeReminders);
            await ExecuteAsync(old, "INSERT INTO reminders VALUES (@s, @g, 'tick', @a, 1000, 1)",
                ("@s", serviceId), ("@g", $"probe/{key}"), ("@a", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        }

        await using var silo = await OneSiloCluster.StartAsync(serviceId, b => b
            .UseSqliteDatabase(file)
            .UseSqlReminderTable()
            .MigratePreviousLayout()
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)));

        await Poll.UntilAsync(() => Task.FromResult(ProbeTicks.Counts.GetValueOrDefault(key) >= 2), TimeSpan.FromSeconds(30),
            "the reminder the runtime had saved ticks on the Orleans silo");
        await using var check = new SqliteDatabase(file);
        Assert.Empty(await OldRowsAsync(check));
    }

    private static async Task ExecuteAsync(SqlDatabase database, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync();
        await using var command = SqlDatabase.Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> OldRowsAsync(SqlDatabase database)
    {
        await using var connection = await database.OpenAsync();
        await using var command = SqlDatabase.Command(connection, "SELECT grain_id FROM reminders ORDER BY service_id DESC, grain_id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
