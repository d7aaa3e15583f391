using Npgsql;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Components;

/// <summary>The provisioned PostgreSQL is real: it answers queries and keeps what it commits.</summary>
[Trait("Component", "Postgres")]
public sealed class PostgresTests
{
    [RequiresFact(Component.Postgres)]
    public async Task Answers_a_query_through_npgsql()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var source = NpgsqlDataSource.Create(TestEnvironment.PostgresConnectionString!);

        await using var command = source.CreateCommand("select current_setting('server_version_num')::int, current_user");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.True(reader.GetInt32(0) >= 150000, $"PostgreSQL 15 or later expected, got {reader.GetInt32(0)}");
        Assert.Equal("dcos", reader.GetString(1));
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_committed_row_is_read_back_from_another_connection()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var source = NpgsqlDataSource.Create(TestEnvironment.PostgresConnectionString!);
        var table = $"probe_{Guid.NewGuid():N}";
        await using (var create = source.CreateCommand($"create table {table}(id int primary key, payload jsonb not null)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            await using (var insert = source.CreateCommand($"insert into {table} values (1, '{{\"a\": 42}}')"))
            {
                Assert.Equal(1, await insert.ExecuteNonQueryAsync());
            }

            await using var other = await source.OpenConnectionAsync();
            await using var select = new NpgsqlCommand($"select (payload->>'a')::int from {table} where id = 1", other);
            Assert.Equal(42, (int)(await select.ExecuteScalarAsync())!);
        }
        finally
        {
            await using var drop = source.CreateCommand($"drop table {table}");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
