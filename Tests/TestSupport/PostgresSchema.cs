using Npgsql;

namespace OrleansDcos.Tests.Support;

/// <summary>A fresh PostgreSQL schema for one test or cluster, dropped on dispose; its connection string searches only it.</summary>
public sealed class PostgresSchema : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private PostgresSchema(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The schema name.</summary>
    public string Name { get; }

    /// <summary>A connection string whose search path is the schema.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a schema named <c>t_…</c> in the provisioned database.</summary>
    public static async Task<PostgresSchema> CreateAsync()
    {
        TestEnvironment.Require(Component.Postgres);
        var admin = TestEnvironment.PostgresConnectionString!;
        var name = $"t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { SearchPath = name };
        return new PostgresSchema(admin, name, builder.ConnectionString);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Name} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
