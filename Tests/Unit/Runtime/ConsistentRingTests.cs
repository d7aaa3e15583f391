using OrleansDcos.Runtime.Membership;
using Xunit;

namespace OrleansDcos.Tests.Unit.Runtime;

[Trait("Area", "Runtime")]
public sealed class ConsistentRingTests
{
    private static readonly SiloAddress[] Silos = Enumerable.Range(2, 4).Select(i => new SiloAddress($"127.0.0.{i}", 9000, 1)).ToArray();
    private static readonly string[] Keys = Enumerable.Range(0, 4000).Select(i => $"reminder/grain-{i}").ToArray();

    [Fact]
    public void Every_key_has_one_owner_and_load_is_spread()
    {
        var ring = new ConsistentRing(Silos);

        var perSilo = Keys.GroupBy(ring.Owner).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(4, perSilo.Count);
        Assert.All(perSilo.Values, n => Assert.InRange(n, 500, 1500)); // 1,000 each on average
    }

    [Fact]
    public void When_a_silo_leaves_only_its_keys_move()
    {
        var before = new ConsistentRing(Silos);
        var after = new ConsistentRing(Silos[..3]);

        foreach (var key in Keys)
        {
            if (before.Owner(key) != Silos[3])
            {
                Assert.Equal(before.Owner(key), after.Owner(key));
            }
        }
    }

    [Fact]
    public void The_ring_is_the_same_on_every_silo_whatever_the_order_of_its_members()
    {
        var a = new ConsistentRing(Silos);
        var b = new ConsistentRing(Silos.Reverse());

        Assert.All(Keys, key => Assert.Equal(a.Owner(key), b.Owner(key)));
    }
}
