using OrleansDcos.Scheduling.Deployment;
using Xunit;

namespace OrleansDcos.Tests.Unit.Marathon;

[Trait("Area", "Marathon")]
public sealed class KillRateLimitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 0.1, 1)]
    [InlineData(10, 0.1, 1)]
    [InlineData(11, 0.1, 2)]
    [InlineData(100, 0.25, 25)]
    [InlineData(0, 0.5, 1)]
    public void An_app_may_lose_a_fraction_of_its_instances_and_always_one(int instances, double fraction, int allowed) =>
        Assert.Equal(allowed, KillRateLimit.Allowed(instances, fraction));

    [Fact]
    public void Kills_beyond_the_limit_wait_until_older_ones_leave_the_window()
    {
        var limit = new KillRateLimit(TimeSpan.FromMinutes(1));

        Assert.True(limit.TryTake(T0, allowed: 2));
        Assert.True(limit.TryTake(T0.AddSeconds(10), allowed: 2));
        Assert.False(limit.TryTake(T0.AddSeconds(20), allowed: 2));
        Assert.Equal(2, limit.Recent(T0.AddSeconds(59)));

        Assert.True(limit.TryTake(T0.AddSeconds(61), allowed: 2));
        Assert.Equal(2, limit.Recent(T0.AddSeconds(61)));
        Assert.Equal(0, limit.Recent(T0.AddMinutes(5)));
    }
}
