using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Reminders;
using Xunit;

namespace OrleansDcos.Tests.Unit.Runtime;

[Trait("Area", "Runtime")]
public sealed class RuntimeModelTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-5, 0)]   // before the start: the start itself
    [InlineData(0, 0)]    // exactly at a tick
    [InlineData(1, 10)]   // just after: the next one
    [InlineData(10, 10)]
    [InlineData(95, 100)] // missed ticks are skipped, not replayed
    public void The_next_reminder_tick_is_on_the_grid(int secondsAfterStart, int expectedSecondsAfterStart)
    {
        var entry = new ReminderEntry(new GrainId("t", "k"), "r", Start, TimeSpan.FromSeconds(10));

        Assert.Equal(Start.AddSeconds(expectedSecondsAfterStart), entry.NextTickAtOrAfter(Start.AddSeconds(secondsAfterStart)));
    }

    [Fact]
    public void Grain_ids_round_trip_and_keep_slashes_in_keys()
    {
        var id = GrainId.Parse("app//prod/web");

        Assert.Equal(new GrainId("app", "/prod/web"), id);
        Assert.Equal("app//prod/web", id.ToString());
        Assert.Throws<FormatException>(() => GrainId.Parse("no-slash"));
    }

    [Fact]
    public void A_call_chain_knows_every_grain_on_it()
    {
        var chain = new CallChain(new GrainId("c", "3"), new CallChain(new GrainId("b", "2"), new CallChain(new GrainId("a", "1"), null)));

        Assert.True(chain.Contains(new GrainId("a", "1")));
        Assert.False(chain.Contains(new GrainId("d", "4")));
        Assert.Equal("a/1 → b/2 → c/3", chain.ToString());
    }

    [Fact]
    public void Grain_methods_must_return_a_task()
    {
        var ex = Assert.Throws<NotSupportedException>(() => GrainInterfaceInfo.Of(typeof(IBadGrain)));

        Assert.Contains("IBadGrain.Count returns Int32", ex.Message);
    }

    [Fact]
    public void Method_metadata_reads_interleaving_attributes_and_result_types()
    {
        var info = GrainInterfaceInfo.Of(typeof(IGoodGrain));
        var read = info.Methods.Single(m => m.Method.Name == nameof(IGoodGrain.Read));
        var poke = info.Methods.Single(m => m.Method.Name == nameof(IGoodGrain.Poke));

        Assert.True(read.ReadOnly);
        Assert.Equal(ReturnKind.ValueTaskOfT, read.Kind);
        Assert.Equal(typeof(string), read.ResultType);
        Assert.True(poke.AlwaysInterleave);
        Assert.Equal(typeof(VoidResult), poke.ResultType);
    }

    public interface IBadGrain : IGrainWithStringKey
    {
        int Count();
    }

    public interface IGoodGrain : IGrainWithStringKey
    {
        [ReadOnly]
        ValueTask<string> Read();

        [AlwaysInterleave]
        Task Poke();
    }
}
