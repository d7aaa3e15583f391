using System.Data.Common;

namespace OrleansDcos.Providers.Sql;

/// <summary>
/// A database the runtime keeps its durable tables in (state, reminders, streams): PostgreSQL in a
/// cluster, a SQLite file in the embedded mode. Both run the same statements; only the schema
/// types and the JSON parameter differ. Tables are created on first use.
/// </summary>
public abstract class SqlDatabase : IAsyncDisposable
{
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    /// <summary>A short name for messages: <c>postgresql</c> or <c>sqlite</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The DDL creating every table if missing.</summary>
    protected abstract string SchemaSql { get; }

    /// <summary>How to write a JSON parameter in SQL (PostgreSQL casts to jsonb).</summary>
    public abstract string Json(string parameter);

    /// <summary>A query counting the tables named <c>@table</c> in the database's own schema (0 or 1).</summary>
    public abstract string TableCountSql { get; }

    /// <summary>Opens a connection whose schema exists.</summary>
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = await OpenConnectionAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await EnsureSchemaAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A command with <c>@name</c> parameters.</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Opens a raw connection.</summary>
    protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    private async Task EnsureSchemaAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await using var command = Command(connection, SchemaSql);
                await command.ExecuteNonQueryAsync(cancellationToken);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}
