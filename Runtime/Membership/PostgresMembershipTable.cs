using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Runtime.Membership;

/// <summary>
/// The membership table in PostgreSQL (<c>cluster_version</c> + <c>silos</c>). A change runs in one
/// transaction: bump the version where it still equals the expected one, write the row, NOTIFY the other
/// members; if either write touches no row, nothing is committed.
/// </summary>
public sealed class PostgresMembershipTable(PostgresDatabase database, string clusterId) : IMembershipTable
{
    private const string Channel = "dcos_membership";
    private const string Columns = "host, port, generation, name, status, suspect_times, start_time, i_am_alive, activation_count";
    private volatile bool _versionRowReady;

    /// <inheritdoc />
    public async Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        await using var version = Command(connection, "SELECT version FROM cluster_version WHERE cluster_id = @c");
        version.Transaction = transaction;
        var current = Convert.ToInt64(await version.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await using var rows = Command(connection, $"SELECT {Columns} FROM silos WHERE cluster_id = @c");
        rows.Transaction = transaction;
        var entries = new List<MembershipEntry>();
        await using (var reader = await rows.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(Read(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new MembershipSnapshot(current, entries);
    }

    /// <inheritdoc />
    public Task<bool> InsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        MutateAsync(expectedVersion, $"""
            INSERT INTO silos (cluster_id, {Columns}) VALUES (@c, @h, @p, @g, @n, @s, @v, @st, @a, 0)
            ON CONFLICT DO NOTHING
            """, entry, cancellationToken);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken = default) =>
        MutateAsync(expectedVersion, """
            UPDATE silos SET status = @s, suspect_times = @v, name = @n
            WHERE cluster_id = @c AND host = @h AND port = @p AND generation = @g AND status <> 6
            """, entry, cancellationToken);

    /// <inheritdoc />
    public async Task UpdateIAmAliveAsync(SiloAddress silo, DateTimeOffset at, int activationCount, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE silos SET i_am_alive = @a, activation_count = @n WHERE cluster_id = @c AND host = @h AND port = @p AND generation = @g",
            ("@a", at.ToUnixTimeMilliseconds()), ("@n", (long)activationCount), ("@h", silo.Host), ("@p", (long)silo.Port), ("@g", silo.Generation));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<int> CleanupAsync(DateTimeOffset olderThan, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "DELETE FROM silos WHERE cluster_id = @c AND status = 6 AND i_am_alive < @t",
            ("@t", olderThan.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task ListenAsync(Action changed, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await OpenAsync(cancellationToken);
        connection.Notification += (_, e) =>
        {
            if (e.Payload == clusterId)
            {
                changed();
            }
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await connection.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped listening.
        }
    }

    private async Task<bool> MutateAsync(long expectedVersion, string rowSql, MembershipEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var bump = Command(connection, "UPDATE cluster_version SET version = version + 1 WHERE cluster_id = @c AND version = @x",
            ("@x", expectedVersion));
        bump.Transaction = transaction;
        if (await bump.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await using var row = Command(connection, rowSql,
            ("@h", entry.Silo.Host), ("@p", (long)entry.Silo.Port), ("@g", entry.Silo.Generation), ("@n", entry.Name),
            ("@s", (long)entry.Status), ("@v", JsonSerializer.Serialize(entry.SuspectTimes.Select(v => new VoteRow(v.Voter.ToString(), v.At.ToUnixTimeMilliseconds())))),
            ("@st", entry.StartTime.ToUnixTimeMilliseconds()), ("@a", entry.IAmAliveTime.ToUnixTimeMilliseconds()));
        row.Transaction = transaction;
        if (await row.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await using var notify = Command(connection, $"SELECT pg_notify('{Channel}', @c)");
        notify.Transaction = transaction;
        await notify.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        if (!_versionRowReady)
        {
            await using var ensure = Command(connection, "INSERT INTO cluster_version (cluster_id, version) VALUES (@c, 0) ON CONFLICT DO NOTHING");
            await ensure.ExecuteNonQueryAsync(cancellationToken);
            _versionRowReady = true;
        }

        return connection;
    }

    private DbCommand Command(DbConnection connection, string sql, params (string, object?)[] parameters) =>
        SqlDatabase.Command(connection, sql, [("@c", clusterId), .. parameters]);

    private static MembershipEntry Read(DbDataReader reader)
    {
        var silo = new SiloAddress(reader.GetString(0), (int)reader.GetInt64(1), reader.GetInt64(2));
        var votes = JsonSerializer.Deserialize<VoteRow[]>(reader.GetString(5)) ?? [];
        return new MembershipEntry(silo, (SiloStatus)reader.GetInt64(4), reader.GetString(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)))
        {
            ActivationCount = (int)reader.GetInt64(8),
            SuspectTimes = votes.Select(v => new SuspectVote(SiloAddress.Parse(v.Voter), DateTimeOffset.FromUnixTimeMilliseconds(v.At))).ToArray(),
        };
    }

    private sealed record VoteRow(string Voter, long At);
}
