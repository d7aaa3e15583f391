using OrleansDcos.Providers.Reminders;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>The project's Orleans reminder table (the embedded silo's, on SQLite; checked on PostgreSQL too).</summary>
[Trait("Area", "Orleans")]
public sealed class SqlReminderTableTests
{
    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Upserts_move_the_etag_and_a_removal_needs_the_current_one(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        var table = new SqlReminderTable(db.Database, "svc");
        var grain = GrainId.Create("framework", "f-1");
        var start = new DateTime(2026, 12, 6, 12, 0, 0, 250, DateTimeKind.Utc);

        var first = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "failover", StartAt = start, Period = TimeSpan.FromMinutes(1) });
        var second = await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "failover", StartAt = start.AddSeconds(5), Period = TimeSpan.FromMinutes(2) });
        await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "other", StartAt = start, Period = TimeSpan.FromMinutes(1) });

        Assert.NotEqual(first, second);
        var row = await table.ReadRow(grain, "failover");
        Assert.NotNull(row);
        Assert.Equal(start.AddSeconds(5), row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromMinutes(2), row.Period);
        Assert.Equal(second, row.ETag);
        Assert.Equal(["failover", "other"], (await table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order());

        Assert.False(await table.RemoveRow(grain, "failover", first!));
        Assert.False(await table.RemoveRow(grain, "failover", "not-a-version"));
        Assert.True(await table.RemoveRow(grain, "failover", second!));
        Assert.Null(await table.ReadRow(grain, "failover"));
        Assert.Null(await table.ReadRow(GrainId.Create("framework", "nobody"), "failover"));
    }

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task A_ring_range_returns_exactly_the_grains_whose_hash_falls_in_it_wrapping_through_zero(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        var table = new SqlReminderTable(db.Database, "svc");
        var grains = Enumerable.Range(0, 60).Select(i => GrainId.Create("framework", $"f-{i}")).ToArray();
        foreach (var grain in grains)
        {
            await table.UpsertRow(new ReminderEntry { GrainId = grain, ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1) });
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        var low = hashes[15];
        var high = hashes[40];

        var inside = (await table.ReadRows(low, high)).Reminders.Select(r => r.GrainId).ToHashSet();
        var outside = (await table.ReadRows(high, low)).Reminders.Select(r => r.GrainId).ToHashSet();

        Assert.Equal(grains.Where(g => g.GetUniformHashCode() > low && g.GetUniformHashCode() <= high).ToHashSet(), inside);
        Assert.Equal(25, inside.Count);
        Assert.Equal(35, outside.Count);
        Assert.Empty(inside.Intersect(outside));
        Assert.Equal(60, (await table.ReadRows(0, uint.MaxValue)).Reminders.Count + (grains.Any(g => g.GetUniformHashCode() == 0) ? 1 : 0));
    }
}
