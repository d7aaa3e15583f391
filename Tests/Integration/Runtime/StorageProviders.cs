using System.Reflection;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Runtime.Storage;
using OrleansDcos.Tests.Support;
using Xunit.Sdk;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>One storage provider under test, with what it needs (a temp file, a fresh PostgreSQL schema) and how to make a second instance over the same data.</summary>
public sealed class StorageProvider : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly TempDirectory? _directory;
    private readonly PostgresSchema? _schema;
    private readonly MemoryGrainStorage? _memory;

    private StorageProvider(string kind, TempDirectory? directory, PostgresSchema? schema)
    {
        Kind = kind;
        _directory = directory;
        _schema = schema;
        _memory = kind == "memory" ? new MemoryGrainStorage() : null;
    }

    public string Kind { get; }

    public bool Durable => Kind != "memory";

    public static async Task<StorageProvider> CreateAsync(string kind) => kind switch
    {
        "memory" => new StorageProvider(kind, null, null),
        "sqlite" => new StorageProvider(kind, new TempDirectory(), null),
        "postgres" => new StorageProvider(kind, null, await PostgresSchema.CreateAsync()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A new storage instance over the same data (for durable providers, as after a restart).</summary>
    public IGrainStorage NewStorage()
    {
        if (_memory is not null)
        {
            return _memory;
        }

        var database = NewDatabase();
        var storage = new SqlGrainStorage(database, "test");
        _owned.Add(storage);
        _owned.Add(database);
        return storage;
    }

    /// <summary>Configures a runtime host to use this provider's data.</summary>
    public void Configure(GrainRuntimeBuilder builder)
    {
        switch (Kind)
        {
            case "memory": builder.UseInMemory(); break;
            case "sqlite": builder.UseSqlite(Path.Combine(_directory!.Path, "dcos.db")); break;
            default: builder.UsePostgres(_schema!.ConnectionString); break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        _directory?.Dispose();
        if (_schema is not null)
        {
            await _schema.DisposeAsync();
        }
    }

    private SqlDatabase NewDatabase() => Kind == "sqlite"
        ? new SqliteDatabase(Path.Combine(_directory!.Path, "dcos.db"))
        : new PostgresDatabase(_schema!.ConnectionString);
}

/// <summary>
/// One theory row per provider. A PostgreSQL row is skipped (outside CI) when PostgreSQL is not
/// provisioned, like <see cref="RequiresFactAttribute"/>; under CI it runs and fails with the reason.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProviderDataAttribute : DataAttribute
{
    public ProviderDataAttribute(string kind)
    {
        Kind = kind;
        if (kind == "postgres" && !TestEnvironment.IsCi && TestEnvironment.WhyMissing(Component.Postgres) is { } reason)
        {
            Skip = reason;
        }
    }

    public string Kind { get; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Kind]];
}
