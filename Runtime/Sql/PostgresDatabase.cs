using System.Data.Common;
using Npgsql;

namespace OrleansDcos.Runtime.Sql;

/// <summary>PostgreSQL through one <see cref="NpgsqlDataSource"/> (pooled). The schema follows the connection's search path.</summary>
public sealed class PostgresDatabase(string connectionString) : SqlDatabase
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <inheritdoc />
    public override string Kind => "postgresql";

    /// <summary>The data source, for batched writes.</summary>
    public NpgsqlDataSource Source => _source;

    /// <inheritdoc />
    /// <remarks>
    /// CREATE TABLE IF NOT EXISTS is not safe against a concurrent twin (silos starting together),
    /// so the DDL runs under a transaction-scoped advisory lock.
    /// </remarks>
    protected override string SchemaSql => """
        BEGIN;
        SELECT pg_advisory_xact_lock(74150001);
        CREATE TABLE IF NOT EXISTS grain_state (
            service_id  text        NOT NULL,
            state_name  text        NOT NULL,
            grain_id    text        NOT NULL,
            payload     jsonb       NOT NULL,
            version     bigint      NOT NULL,
            modified_at timestamptz NOT NULL,
            PRIMARY KEY (service_id, state_name, grain_id));
        CREATE TABLE IF NOT EXISTS reminders (
            service_id text   NOT NULL,
            grain_id   text   NOT NULL,
            name       text   NOT NULL,
            start_at   bigint NOT NULL,
            period_ms  bigint NOT NULL,
            version    bigint NOT NULL,
            PRIMARY KEY (service_id, grain_id, name));
        CREATE TABLE IF NOT EXISTS stream_heads (
            service_id text NOT NULL, provider text NOT NULL, stream_ns text NOT NULL, stream_key text NOT NULL,
            last_seq   bigint NOT NULL,
            PRIMARY KEY (service_id, provider, stream_ns, stream_key));
        CREATE TABLE IF NOT EXISTS stream_log (
            service_id text NOT NULL, provider text NOT NULL, stream_ns text NOT NULL, stream_key text NOT NULL,
            seq         bigint NOT NULL,
            payload     jsonb  NOT NULL,
            appended_at bigint NOT NULL,
            PRIMARY KEY (service_id, provider, stream_ns, stream_key, seq));
        CREATE INDEX IF NOT EXISTS stream_log_appended ON stream_log (service_id, provider, appended_at);
        CREATE TABLE IF NOT EXISTS stream_subscriptions (
            service_id text NOT NULL, provider text NOT NULL, subscription_id text NOT NULL,
            stream_ns  text NOT NULL, stream_key text NOT NULL,
            PRIMARY KEY (service_id, provider, subscription_id));
        CREATE TABLE IF NOT EXISTS stream_checkpoints (
            service_id text NOT NULL, provider text NOT NULL, consumer text NOT NULL,
            seq        bigint NOT NULL,
            PRIMARY KEY (service_id, provider, consumer));
        COMMIT;
        """;

    /// <inheritdoc />
    public override string Json(string parameter) => $"{parameter}::jsonb";

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => _source.DisposeAsync();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken);
}
