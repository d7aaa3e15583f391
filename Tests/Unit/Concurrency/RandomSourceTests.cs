using OrleansDcos.Grains;
using Xunit;

namespace OrleansDcos.Tests.Unit.Concurrency;

[Trait("Area", "Scheduling")]
public sealed class RandomSourceTests
{
    private static int[] Draws(Random random) => Enumerable.Range(0, 8).Select(_ => random.Next()).ToArray();

    [Fact]
    public void A_seeded_source_makes_the_same_generators_in_the_same_order_every_run()
    {
        var (first, second) = (new RandomSource(42), new RandomSource(42));
        var (a1, a2) = (Draws(first.Create()), Draws(first.Create()));

        Assert.Equal(a1, Draws(second.Create()));
        Assert.Equal(a2, Draws(second.Create()));
        Assert.NotEqual(a1, a2); // two users of one silo do not share a sequence
        Assert.NotEqual(a1, Draws(new RandomSource(43).Create()));
    }
}
