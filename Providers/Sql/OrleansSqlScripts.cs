using Npgsql;

namespace OrleansDcos.Providers.Sql;

/// <summary>
/// The PostgreSQL schema of Microsoft.Orleans' ADO.NET providers as this project writes it (<c>infra/sql/postgresql</c>,
/// embedded): the query table, membership and reminders. Every script may run again on a database that has it, so a
/// silo applies them all at start; silos starting together take turns (an advisory lock), each script in a
/// transaction of its own.
/// </summary>
public static class OrleansSqlScripts
{
    private const string Prefix = "postgresql/";

    /// <summary>The advisory-lock key silos take turns on while applying the scripts.</summary>
    private const long LockKey = 0x4F726C65616E7344; // "OrleansD"

    /// <summary>The scripts, in the order they are applied (by file name).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(OrleansSqlScripts).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The text of one script.</summary>
    public static string Read(string name)
    {
        using var stream = typeof(OrleansSqlScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new ArgumentException($"no embedded SQL script '{name}'", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Applies every script to the database (and schema search path) of <paramref name="connectionString"/>.</summary>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var name in Names)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var command = new NpgsqlCommand(Read(name), connection, transaction))
            {
                try
                {
                    await command.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (PostgresException ex)
                {
                    throw new InvalidOperationException($"the SQL script {name[Prefix.Length..]} failed on the database: {ex.MessageText}", ex);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }
}
