namespace OrleansDcos.Providers.Sql;

/// <summary>
/// The project's own tables, written once and rendered with each dialect's column types: grain state, the SQLite
/// reminder rows (<c>reminder_rows</c>; a cluster uses Orleans' ADO.NET reminders) and the event log behind the
/// Orleans stream provider (<c>event_log*</c>). Tables the previous home-made runtime made in the same database
/// (<c>reminders</c>, <c>stream_*</c>, <c>silos</c>, <c>grain_directory</c>, <c>cluster_version</c>) are no longer used.
/// </summary>
public static class SqlSchema
{
    /// <summary>The CREATE statements (idempotent) with the given type names.</summary>
    public static string Tables(string text, string integer, string json, string time, string binary) => $$"""
        CREATE TABLE IF NOT EXISTS grain_state (
            service_id  {{text}}        NOT NULL,
            state_name  {{text}}        NOT NULL,
            grain_id    {{text}}        NOT NULL,
            payload     {{json}}       NOT NULL,
            version     {{integer}}      NOT NULL,
            modified_at {{time}} NOT NULL,
            PRIMARY KEY (service_id, state_name, grain_id));
        CREATE TABLE IF NOT EXISTS reminder_rows (
            service_id    {{text}}    NOT NULL,
            grain_id      {{text}}    NOT NULL,
            reminder_name {{text}}    NOT NULL,
            grain_hash    {{integer}} NOT NULL,
            start_at      {{integer}} NOT NULL,
            period_ms     {{integer}} NOT NULL,
            version       {{integer}} NOT NULL,
            PRIMARY KEY (service_id, grain_id, reminder_name));
        CREATE INDEX IF NOT EXISTS reminder_rows_hash ON reminder_rows (service_id, grain_hash);
        CREATE TABLE IF NOT EXISTS event_log_heads (
            service_id {{text}} NOT NULL, provider {{text}} NOT NULL, queue_id {{integer}} NOT NULL,
            last_position {{integer}} NOT NULL,
            trimmed_through {{integer}} NOT NULL DEFAULT 0,
            PRIMARY KEY (service_id, provider, queue_id));
        CREATE TABLE IF NOT EXISTS event_log (
            service_id  {{text}}    NOT NULL, provider {{text}} NOT NULL, queue_id {{integer}} NOT NULL,
            position    {{integer}} NOT NULL,
            stream_ns   {{text}}    NOT NULL, stream_key {{text}} NOT NULL,
            payload     {{binary}}  NOT NULL,
            appended_at {{integer}} NOT NULL,
            PRIMARY KEY (service_id, provider, queue_id, position));
        CREATE INDEX IF NOT EXISTS event_log_stream ON event_log (service_id, provider, stream_ns, stream_key, position);
        CREATE INDEX IF NOT EXISTS event_log_appended ON event_log (service_id, provider, appended_at);
        CREATE TABLE IF NOT EXISTS event_log_checkpoints (
            service_id {{text}} NOT NULL, provider {{text}} NOT NULL, queue_id {{integer}} NOT NULL,
            position   {{integer}} NOT NULL,
            PRIMARY KEY (service_id, provider, queue_id));
        """;
}
