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
        CREATE TABLE IF NOT EXISTS stream_heads (
            service_id TEXT NOT NULL, provider TEXT NOT NULL, stream_ns TEXT NOT NULL, stream_key TEXT NOT NULL,
            last_seq   INTEGER NOT NULL,
            PRIMARY KEY (service_id, provider, stream_ns, stream_key));
        CREATE TABLE IF NOT EXISTS stream_log (
            service_id TEXT NOT NULL, provider TEXT NOT NULL, stream_ns TEXT NOT NULL, stream_key TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            payload     TEXT   NOT NULL,
            appended_at INTEGER NOT NULL,
            PRIMARY KEY (service_id, provider, stream_ns, stream_key, seq));
        CREATE INDEX IF NOT EXISTS stream_log_appended ON stream_log (service_id, provider, appended_at);
        CREATE TABLE IF NOT EXISTS stream_subscriptions (
            service_id TEXT NOT NULL, provider TEXT NOT NULL, subscription_id TEXT NOT NULL,
            stream_ns  TEXT NOT NULL, stream_key TEXT NOT NULL,
            PRIMARY KEY (service_id, provider, subscription_id));
        CREATE TABLE IF NOT EXISTS stream_checkpoints (
            service_id TEXT NOT NULL, provider TEXT NOT NULL, consumer TEXT NOT NULL,
            seq        INTEGER NOT NULL,
            PRIMARY KEY (service_id, provider, consumer));
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
