using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Storage;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>The one contract every grain storage provider keeps: memory, SQLite file, PostgreSQL.</summary>
[Trait("Area", "Runtime")]
public sealed class StorageContractTests
{
    private static readonly GrainId Grain = new("counter", "contract");

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task A_missing_record_reads_as_null(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);

        Assert.Null(await provider.NewStorage().ReadAsync("s", Grain));
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task Writes_bump_the_version_and_read_back(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var storage = provider.NewStorage();

        var first = await storage.WriteAsync("s", Grain, """{"value":1}""", null);
        var second = await storage.WriteAsync("s", Grain, """{"value":2}""", first);

        Assert.Equal("1", first);
        Assert.Equal("2", second);
        var record = await storage.ReadAsync("s", Grain);
        Assert.Equal("2", record!.Etag);
        Assert.Contains("\"value\":2", record.Json.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R6")]
    public async Task A_write_over_a_stale_version_is_refused_and_changes_nothing(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var storage = provider.NewStorage();
        var v1 = await storage.WriteAsync("s", Grain, """{"value":1}""", null);
        await storage.WriteAsync("s", Grain, """{"value":2}""", v1);

        var ex = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("s", Grain, """{"value":99}""", v1));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync("s", Grain, """{"value":99}""", null));

        Assert.Contains("stored version is 2, this activation has 1", ex.Message);
        Assert.Equal("2", (await storage.ReadAsync("s", Grain))!.Etag);
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    [Trait("Invariant", "R6")]
    public async Task Of_concurrent_first_writes_exactly_one_wins(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var storages = Enumerable.Range(0, 8).Select(_ => provider.NewStorage()).ToArray();

        var outcomes = await Task.WhenAll(storages.Select(async (storage, i) =>
        {
            try
            {
                await storage.WriteAsync("s", Grain, $$"""{"value":{{i}}}""", null);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
        Assert.Equal("1", (await storages[0].ReadAsync("s", Grain))!.Etag);
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task Clear_removes_the_record_only_at_the_current_version(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var storage = provider.NewStorage();
        var v1 = await storage.WriteAsync("s", Grain, """{"value":1}""", null);
        var v2 = await storage.WriteAsync("s", Grain, """{"value":2}""", v1);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync("s", Grain, v1));
        await storage.ClearAsync("s", Grain, v2);

        Assert.Null(await storage.ReadAsync("s", Grain));
        Assert.Equal("1", await storage.WriteAsync("s", Grain, """{"value":3}""", null));
    }

    [Theory]
    [ProviderData("memory")]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task States_of_different_names_and_grains_are_separate(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var storage = provider.NewStorage();

        await storage.WriteAsync("a", Grain, """{"value":1}""", null);
        await storage.WriteAsync("b", Grain, """{"value":2}""", null);
        await storage.WriteAsync("a", new GrainId("counter", "other"), """{"value":3}""", null);

        Assert.Contains("1", (await storage.ReadAsync("a", Grain))!.Json);
        Assert.Contains("2", (await storage.ReadAsync("b", Grain))!.Json);
        Assert.Contains("3", (await storage.ReadAsync("a", new GrainId("counter", "other")))!.Json);
    }

    [Theory]
    [ProviderData("sqlite")]
    [ProviderData("postgres")]
    public async Task A_durable_provider_keeps_records_for_a_new_instance(string kind)
    {
        await using var provider = await StorageProvider.CreateAsync(kind);
        var v1 = await provider.NewStorage().WriteAsync("s", Grain, """{"value":7}""", null);

        var record = await provider.NewStorage().ReadAsync("s", Grain);

        Assert.Equal(v1, record!.Etag);
        Assert.Contains("7", record.Json);
    }
}
