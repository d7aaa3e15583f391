using System.Text.Json;
using OrleansDcos.Providers.Sql;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Tests.Support;
using Xunit;
using OrleansGrainId = Orleans.Runtime.GrainId;
using OrleansStorage = OrleansDcos.Providers.Storage.SqlGrainStorage;
using RuntimeStorage = OrleansDcos.Runtime.Storage.SqlGrainStorage;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>
/// State the home-made runtime saved is read by the Orleans grain storage that replaces it (same table, grain ids and
/// JSON), and the Orleans provider writes on from the stored version: the move keeps every app, framework and agent.
/// </summary>
[Trait("Area", "Runtime")]
public sealed class StateCompatibilityTests
{
    [Fact]
    public async Task State_saved_by_the_home_made_runtime_reads_back_through_the_orleans_provider()
    {
        using var directory = new TempDirectory();
        await using var database = new SqliteDatabase(Path.Combine(directory.Path, "embedded.db"));
        await using var before = new RuntimeStorage(database, "orleans-dcos");
        var saved = new Saved { Instances = 3, Labels = new() { ["tier"] = "web" } };
        await before.WriteAsync("app", new GrainId("app", "/prod/web"), JsonSerializer.Serialize(saved, GrainJson.Options), null);
        var etag = await before.WriteAsync("app", new GrainId("app", "/prod/web"), JsonSerializer.Serialize(saved with { Instances = 4 }, GrainJson.Options), "1");

        await using var after = new OrleansStorage(database, "orleans-dcos");
        var state = new global::Orleans.GrainState<Saved>();
        await after.ReadStateAsync("app", OrleansGrainId.Create("app", "/prod/web"), state);

        Assert.True(state.RecordExists);
        Assert.Equal(etag, state.ETag);
        Assert.Equal(4, state.State!.Instances);
        Assert.Equal("web", state.State.Labels["tier"]);
        state.State = state.State with { Instances = 5 };
        await after.WriteStateAsync("app", OrleansGrainId.Create("app", "/prod/web"), state);
        Assert.Equal("3", state.ETag);
    }

    /// <summary>A state shaped like the grains' (properties, a dictionary).</summary>
    public sealed record Saved
    {
        /// <summary>A number.</summary>
        public int Instances { get; init; }

        /// <summary>A map.</summary>
        public Dictionary<string, string> Labels { get; init; } = [];
    }
}
