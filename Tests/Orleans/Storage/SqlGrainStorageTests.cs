using Orleans.Storage;
using OrleansDcos.Providers.Storage;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>The project's Orleans grain storage on SQLite and PostgreSQL: versions as ETags, conflicts refused with nothing written.</summary>
[Trait("Area", "Orleans")]
public sealed class SqlGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("app", "/prod/web");

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task A_missing_record_reads_as_a_new_state_without_an_etag(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        await using var storage = new SqlGrainStorage(db.Database, "svc");
        var state = new GrainState<Counter> { State = new Counter { Value = 7 } };

        await storage.ReadStateAsync("counter", Grain, state);

        Assert.Equal(0, state.State.Value);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Each_write_moves_the_etag_on_and_a_write_over_a_newer_version_is_refused(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        await using var storage = new SqlGrainStorage(db.Database, "svc");
        var first = new GrainState<Counter> { State = new Counter { Value = 1, Names = ["a"] } };
        await storage.WriteStateAsync("counter", Grain, first);
        var stale = new GrainState<Counter> { State = first.State, ETag = first.ETag, RecordExists = true };
        first.State = new Counter { Value = 2, Names = ["a", "b"] };
        await storage.WriteStateAsync("counter", Grain, first);

        stale.State = new Counter { Value = 99 };
        var refused = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", Grain, stale));

        Assert.Equal("2", refused.StoredEtag);
        Assert.Equal("1", refused.CurrentEtag);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("counter", Grain, read);
        Assert.Equal(2, read.State!.Value);
        Assert.Equal(["a", "b"], read.State.Names);
        Assert.Equal("2", read.ETag);
        Assert.True(read.RecordExists);
    }

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Of_concurrent_first_writes_exactly_one_wins(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        await using var storage = new SqlGrainStorage(db.Database, "svc");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await storage.WriteStateAsync("counter", Grain, new GrainState<Counter> { State = new Counter { Value = i } });
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Equal(1, outcomes.Count(won => won));
    }

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Clear_needs_the_current_etag_and_leaves_no_record(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        await using var storage = new SqlGrainStorage(db.Database, "svc");
        var state = new GrainState<Counter> { State = new Counter { Value = 3 } };
        await storage.WriteStateAsync("counter", Grain, state);
        var stale = new GrainState<Counter> { ETag = state.ETag, RecordExists = true };
        await storage.WriteStateAsync("counter", Grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("counter", Grain, stale));
        await storage.ClearStateAsync("counter", Grain, state);

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync("counter", Grain, read);
        Assert.False(read.RecordExists);

        // After a clear the grain writes afresh.
        await storage.WriteStateAsync("counter", Grain, state);
        Assert.Equal("1", state.ETag);
    }

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Services_and_state_names_do_not_see_each_others_records(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        await using var ours = new SqlGrainStorage(db.Database, "ours");
        await using var theirs = new SqlGrainStorage(db.Database, "theirs");
        await ours.WriteStateAsync("counter", Grain, new GrainState<Counter> { State = new Counter { Value = 1 } });

        var other = new GrainState<Counter>();
        await theirs.ReadStateAsync("counter", Grain, other);
        var otherName = new GrainState<Counter>();
        await ours.ReadStateAsync("apps", Grain, otherName);

        Assert.False(other.RecordExists);
        Assert.False(otherName.RecordExists);
    }

    /// <summary>A small state with a collection.</summary>
    public sealed class Counter
    {
        /// <summary>A number.</summary>
        public int Value { get; set; }

        /// <summary>Some names.</summary>
        public List<string> Names { get; set; } = [];
    }
}
