using OrleansDcos.NodeDaemon.Sandboxes;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

[Trait("Area", "Agent")]
public sealed class SandboxGcTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void An_ended_tasks_sandbox_goes_after_the_delay_and_a_live_tasks_never()
    {
        var sandboxes = new[]
        {
            new SandboxAge("ended-long-ago", Now - TimeSpan.FromDays(8)),
            new SandboxAge("ended-recently", Now - TimeSpan.FromDays(1)),
            new SandboxAge("live-but-old", Now - TimeSpan.FromDays(30)),
        };

        var due = SandboxGc.Collect(sandboxes, new HashSet<string> { "live-but-old" }, Now, Week, headroom: 0.1, usedFraction: 0);

        Assert.Equal(["ended-long-ago"], due);
    }

    [Theory]
    [InlineData(0.0, 6.3)]
    [InlineData(0.5, 2.8)]
    [InlineData(0.85, 0.35)]
    [InlineData(0.95, 0)]
    public void The_delay_shrinks_as_the_disk_fills_as_Mesos_computes_it(double used, double days) =>
        Assert.Equal(days, SandboxGc.MaxAge(Week, 0.1, used).TotalDays, 6);

    [Fact]
    public void A_full_disk_clears_every_ended_tasks_sandbox_at_once_oldest_first()
    {
        var sandboxes = new[] { new SandboxAge("b", Now - TimeSpan.FromMinutes(1)), new SandboxAge("a", Now - TimeSpan.FromMinutes(2)), new SandboxAge("live", Now) };
        Assert.Equal(["a", "b"], SandboxGc.Collect(sandboxes, new HashSet<string> { "live" }, Now, Week, 0.1, usedFraction: 0.97));
    }
}
