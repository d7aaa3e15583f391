using System.Data.Common;
using Npgsql;

namespace OrleansDcos.Providers.Sql;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/> (pooled). The schema follows the connection's search path.</summary>
public sealed class PostgresDatabase(string connectionString) : SqlDatabase
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(WithDefaults(connectionString));

    /// <inheritdoc />
    public override string Kind => "postgresql";

    /// <summary>The data source, for batched writes.</summary>
    public NpgsqlDataSource Source => _source;

    /// <inheritdoc />
    /// <remarks>
    /// CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin (silos starting together),
    /// so the DDL runs under a transaction-scoped advisory lock.
    /// </remarks>
    protected override string SchemaSql => $$"""
        BEGIN;
        SELECT pg_advisory_xact_lock(74150001);
        {{SqlSchema.Tables(text: "text", integer: "bigint", json: "jsonb", time: "timestamptz", binary: "bytea")}}
        COMMIT;
        """;

    /// <inheritdoc />
    public override string Json(string parameter) => $"{parameter}::jsonb";

    /// <inheritdoc />
    public override string TableCountSql => "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @table";

    /// <summary>
    /// The connection string with GSS session encryption off unless it says otherwise: Npgsql 10 tries it by default,
    /// which loads the Kerberos library on every new connection — and that library has crashed a busy process here
    /// (a krb5 mutex assertion). A cluster that wants Kerberos sets <c>GSS Encryption Mode</c> explicitly.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!builder.ContainsKey("GSS Encryption Mode"))
        {
            builder.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        return builder.ConnectionString;
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken);
}
