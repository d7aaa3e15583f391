using OrleansDcos.Providers.Sql;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>A fresh database of either kind for one test: a SQLite file in a temp directory, or a PostgreSQL schema of its own.</summary>
public sealed class SqlDatabases : IAsyncDisposable
{
    private readonly TempDirectory? _directory;
    private readonly PostgresSchema? _schema;

    private SqlDatabases(SqlDatabase database, TempDirectory? directory, PostgresSchema? schema)
    {
        Database = database;
        _directory = directory;
        _schema = schema;
    }

    /// <summary>The kinds a contract test runs on.</summary>
    public static TheoryData<string> Kinds => new() { "sqlite", "postgresql" };

    /// <summary>The database.</summary>
    public SqlDatabase Database { get; }

    /// <summary>A new empty database of <paramref name="kind"/> (PostgreSQL must be provisioned).</summary>
    public static async Task<SqlDatabases> CreateAsync(string kind)
    {
        if (kind == "sqlite")
        {
            var directory = new TempDirectory();
            return new SqlDatabases(new SqliteDatabase(System.IO.Path.Combine(directory.Path, "state.db")), directory, null);
        }

        TestEnvironment.Require(Component.Postgres);
        var schema = await PostgresSchema.CreateAsync();
        return new SqlDatabases(new PostgresDatabase(schema.ConnectionString), null, schema);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }

        _directory?.Dispose();
    }
}
