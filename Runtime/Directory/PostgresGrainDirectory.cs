using System.Data.Common;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Providers.Sql;

namespace OrleansDcos.Runtime.Directory;

/// <summary>
/// The directory in PostgreSQL (<c>grain_directory</c>, primary key on the grain id): registration is
/// <c>INSERT … ON CONFLICT DO NOTHING</c>; when it loses, the holder is read back and, if stale, deleted
/// by its activation id (so a concurrent newer registration is never removed) before trying again.
/// </summary>
public sealed class PostgresGrainDirectory(SqlDatabase database, string clusterId) : IGrainDirectory
{
    /// <inheritdoc />
    public async Task<DirectoryEntry> RegisterAsync(DirectoryEntry entry, Func<DirectoryEntry, Task<bool>> isStale, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            await using (var insert = Command(connection,
                "INSERT INTO grain_directory (cluster_id, grain_id, silo, activation_id) VALUES (@c, @g, @s, @a) ON CONFLICT DO NOTHING",
                ("@g", entry.Grain.ToString()), ("@s", entry.Silo.ToString()), ("@a", entry.ActivationId)))
            {
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return entry;
                }
            }

            var holder = await LookupAsync(connection, entry.Grain, cancellationToken);
            if (holder is null)
            {
                continue; // removed meanwhile: try again
            }

            if (!await isStale(holder) || attempt >= 5)
            {
                return holder;
            }

            await DeleteAsync(connection, holder, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<DirectoryEntry?> LookupAsync(GrainId grain, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await LookupAsync(connection, grain, cancellationToken);
    }

    /// <inheritdoc />
    public async Task UnregisterAsync(DirectoryEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await DeleteAsync(connection, entry, cancellationToken);
    }

    /// <inheritdoc />
    public async Task UnregisterSilosAsync(IReadOnlyCollection<SiloAddress> silos, CancellationToken cancellationToken = default)
    {
        if (silos.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        foreach (var silo in silos)
        {
            await using var delete = Command(connection, "DELETE FROM grain_directory WHERE cluster_id = @c AND silo = @s", ("@s", silo.ToString()));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task<DirectoryEntry?> LookupAsync(DbConnection connection, GrainId grain, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, "SELECT silo, activation_id FROM grain_directory WHERE cluster_id = @c AND grain_id = @g",
            ("@g", grain.ToString()));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new DirectoryEntry(grain, SiloAddress.Parse(reader.GetString(0)), reader.GetString(1)) : null;
    }

    private async Task DeleteAsync(DbConnection connection, DirectoryEntry entry, CancellationToken cancellationToken)
    {
        await using var delete = Command(connection, "DELETE FROM grain_directory WHERE cluster_id = @c AND grain_id = @g AND activation_id = @a",
            ("@g", entry.Grain.ToString()), ("@a", entry.ActivationId));
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private DbCommand Command(DbConnection connection, string sql, params (string, object?)[] parameters) =>
        SqlDatabase.Command(connection, sql, [("@c", clusterId), .. parameters]);
}
