using Npgsql;

namespace OrleansDcos.Tests.Support;

/// <summary>
/// A fault injected into the real store: PostgreSQL refuses every update of one kind of grain state of one cluster (a
/// trigger on <c>grain_state</c> raises, as a server failing mid-write does) until disposed.
/// </summary>
public sealed class StateWritesRefused : IAsyncDisposable
{
    private readonly string _name;

    private StateWritesRefused(string name) => _name = name;

    /// <summary>Refuses the updates of state <paramref name="stateName"/> (e.g. <c>marathon-root</c>, <c>job</c>) of service <paramref name="serviceId"/>.</summary>
    public static async Task<StateWritesRefused> StartAsync(string serviceId, string stateName)
    {
        var name = $"refuse_{Guid.NewGuid():N}";
        await ExecuteAsync($"""
            CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected: this write is refused'; END $$ LANGUAGE plpgsql;
            CREATE TRIGGER {name} BEFORE UPDATE ON grain_state FOR EACH ROW
              WHEN (NEW.service_id = '{serviceId.Replace("'", "''", StringComparison.Ordinal)}' AND NEW.state_name = '{stateName.Replace("'", "''", StringComparison.Ordinal)}') EXECUTE FUNCTION {name}();
            """);
        return new StateWritesRefused(name);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(ExecuteAsync($"DROP TRIGGER {_name} ON grain_state; DROP FUNCTION {_name}();"));

    private static async Task ExecuteAsync(string sql)
    {
        TestEnvironment.Require(Component.Postgres);
        await using var connection = new NpgsqlConnection(TestEnvironment.PostgresConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
