using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OrleansDcos.Runtime.Sql;

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
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Kind => "sqlite";

    /// <inheritdoc />
    protected override string SchemaSql => """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS grain_state (
            service_id  TEXT    NOT NULL,
            state_name  TEXT    NOT NULL,
            grain_id    TEXT    NOT NULL,
            payload     TEXT    NOT NULL,
            version     INTEGER NOT NULL,
            modified_at TEXT    NOT NULL,
            PRIMARY KEY (service_id, state_name, grain_id));
        CREATE TABLE IF NOT EXISTS reminders (
            service_id TEXT    NOT NULL,
            grain_id   TEXT    NOT NULL,
            name       TEXT    NOT NULL,
            start_at   INTEGER NOT NULL,
            period_ms  INTEGER NOT NULL,
            version    INTEGER NOT NULL,
            PRIMARY KEY (service_id, grain_id, name));
        """;

    /// <inheritdoc />
    public override string Json(string parameter) => parameter;

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
