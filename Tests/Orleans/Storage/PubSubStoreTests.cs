using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using OrleansDcos.Providers.Storage;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>
/// The stream pub-sub store: Orleans' own state types (like <c>PubSubPublisherState</c>, whose constructor System.Text.Json
/// cannot bind) are kept through Orleans' serializer; a row written as plain JSON before is started afresh, not fatal.
/// </summary>
[Trait("Area", "Orleans")]
public sealed class PubSubStoreTests
{
    private static readonly GrainId Grain = GrainId.Create("pubsubrendezvous", "events/recorded/x");

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Orleans_state_types_round_trip_and_an_older_plain_json_row_starts_afresh(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var orleans = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
        var state = new GrainState<Registrations> { State = new Registrations { Producers = [new Registration("events/recorded/x", 3)] } };

        // Plain JSON storage writes it but cannot read it back: what broke pub-sub grains after a failover.
        await using (var plain = new SqlGrainStorage(db.Database, "svc"))
        {
            await plain.WriteStateAsync("PubSubStore", Grain, state);
            await Assert.ThrowsAsync<InvalidOperationException>(() => plain.ReadStateAsync("PubSubStore", Grain, new GrainState<Registrations>()));
        }

        await using var store = new SqlGrainStorage(db.Database, "svc", serializer: orleans);
        var legacy = new GrainState<Registrations>();
        await store.ReadStateAsync("PubSubStore", Grain, legacy);
        Assert.Empty(legacy.State!.Producers); // the old row: afresh, its version kept so the next write replaces it
        Assert.Equal("1", legacy.ETag);

        legacy.State = state.State;
        await store.WriteStateAsync("PubSubStore", Grain, legacy);
        var read = new GrainState<Registrations>();
        await store.ReadStateAsync("PubSubStore", Grain, read);

        var producer = Assert.Single(read.State!.Producers);
        Assert.Equal(("events/recorded/x", 3), (producer.Stream, producer.Version));
        Assert.Equal("2", read.ETag);
    }
}

/// <summary>A pub-sub-like state: a list of Orleans-serializable records.</summary>
[GenerateSerializer]
internal sealed class Registrations
{
    /// <summary>The producers.</summary>
    [Id(0)]
    public List<Registration> Producers { get; set; } = [];
}

/// <summary>A record whose constructor parameters are not its property names (System.Text.Json cannot read it back).</summary>
[GenerateSerializer]
internal sealed class Registration(string streamId, int membershipVersion)
{
    /// <summary>The stream.</summary>
    [Id(0)]
    public string Stream { get; } = streamId;

    /// <summary>A version.</summary>
    [Id(1)]
    public int Version { get; } = membershipVersion;
}
