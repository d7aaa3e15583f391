using OrleansDcos.Providers.Streams;
using OrleansDcos.Tests.Orleans.Storage;
using Xunit;

namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>The event log under the stream provider, on SQLite and PostgreSQL: consecutive positions in commit order, reads by queue and by stream, checkpoints, trimming.</summary>
[Trait("Area", "Orleans")]
public sealed class EventLogTests
{
    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task Concurrent_appends_get_consecutive_positions_and_read_back_in_position_order(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        var log = new EventLog(db.Database, "svc");

        var positions = await Task.WhenAll(Enumerable.Range(0, 300).Select(i =>
            log.AppendAsync("events", 2, "ns", $"s{i % 3}", BitConverter.GetBytes(i))));

        Assert.Equal(Enumerable.Range(1, 300).Select(p => (long)p), positions.Order());
        var read = new List<LoggedEvent>();
        long after = 0;
        while (true)
        {
            var page = await log.ReadQueueAsync("events", 2, after, 64);
            if (page.Count == 0)
            {
                break;
            }

            read.AddRange(page);
            after = page[^1].Position;
        }

        Assert.Equal(Enumerable.Range(1, 300).Select(p => (long)p), read.Select(e => e.Position));
        // Each caller's payload sits at the position it was told.
        for (var i = 0; i < 300; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32(read[(int)positions[i] - 1].Payload));
        }

        Assert.Equal(300, await log.HeadAsync("events", 2));
        Assert.Equal(0, await log.HeadAsync("events", 3));
        Assert.Empty(await log.ReadQueueAsync("other", 2, 0, 10));
    }

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task A_stream_reads_its_own_events_after_a_position(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        var log = new EventLog(db.Database, "svc");
        for (var i = 0; i < 10; i++)
        {
            await log.AppendAsync("events", 0, "marathon", i % 2 == 0 ? "even" : "odd", [(byte)i]);
        }

        var even = await log.ReadStreamAsync("events", "marathon", "even", 3, 100);

        Assert.Equal([5L, 7, 9], even.Select(e => e.Position));
        Assert.Equal([4, 6, 8], even.Select(e => (int)e.Payload[0]));
        Assert.Equal(9, await log.StreamHeadAsync("events", "marathon", "even"));
        Assert.Equal(1, await log.StreamOldestAsync("events", "marathon", "even"));
        Assert.Null(await log.StreamOldestAsync("events", "marathon", "none"));
    }

    [Theory]
    [MemberData(nameof(SqlDatabases.Kinds), MemberType = typeof(SqlDatabases))]
    public async Task A_checkpoint_only_moves_forward_and_trimming_drops_only_old_events(string kind)
    {
        await using var db = await SqlDatabases.CreateAsync(kind);
        var log = new EventLog(db.Database, "svc");
        await log.AppendAsync("events", 1, "ns", "k", [1]);
        await log.AppendAsync("events", 1, "ns", "k", [2]);

        await log.SaveCheckpointAsync("events", 1, 2);
        await log.SaveCheckpointAsync("events", 1, 1);
        Assert.Equal(2, await log.LoadCheckpointAsync("events", 1));
        Assert.Equal(0, await log.LoadCheckpointAsync("events", 0));

        Assert.Equal(0, await log.TrimAsync("events", 1, DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Equal(2, await log.TrimAsync("events", 1, DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Empty(await log.ReadQueueAsync("events", 1, 0, 10));

        // Positions go on after a trim: a reader never sees a position twice.
        Assert.Equal(3, await log.AppendAsync("events", 1, "ns", "k", [3]));
    }
}
