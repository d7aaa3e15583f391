using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansDcos.Providers.Sql;

/// <summary>
/// A SQLite file (the embedded default): WAL journal, full sync, so an acknowledged write survives a
/// crash of the process. The directory is created when missing.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;

    /// <summary>Uses (or creates) the database file at <paramref name="path"/>.</summary>
    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Kind => "sqlite";

    /// <inheritdoc />
    protected override string SchemaSql => $$"""
        PRAGMA journal_mode = WAL;
        {{SqlSchema.Tables(text: "TEXT", integer: "INTEGER", json: "TEXT", time: "TEXT", binary: "BLOB")}}
        """;

    /// <inheritdoc />
    public override string Json(string parameter) => parameter;

    /// <inheritdoc />
    public override string TableCountSql => "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table";

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = Command(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;");
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
