using OrleansDcos.Grains.Master;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class AgentLivenessTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Every = AgentLiveness.CheckInterval(Bound);

    [Fact]
    public void A_link_silent_for_the_bound_is_named_once_and_one_that_speaks_is_not()
    {
        var clock = new ManualTimeProvider();
        var liveness = new AgentLiveness(clock);
        var (quiet, chatty) = (Guid.NewGuid(), Guid.NewGuid());
        liveness.Linked(quiet, "a1");
        liveness.Linked(chatty, "a2");
        liveness.Registered(quiet);
        liveness.Registered(chatty);

        for (var elapsed = TimeSpan.Zero; elapsed < Bound - Every; elapsed += Every)
        {
            clock.Advance(Every);
            liveness.Heard(chatty);
            Assert.Empty(liveness.Sweep(Bound, Every));
        }

        clock.Advance(Every);
        liveness.Heard(chatty);
        Assert.Equal([(quiet, "a1")], liveness.Sweep(Bound, Every));
        clock.Advance(Every);
        Assert.Empty(liveness.Sweep(Bound, Every));
    }

    [Fact]
    public void A_sweep_that_comes_late_does_not_count_the_silos_own_stall_against_its_links()
    {
        var clock = new ManualTimeProvider();
        var liveness = new AgentLiveness(clock);
        var link = Guid.NewGuid();
        liveness.Linked(link, "a1");
        liveness.Registered(link);
        clock.Advance(Every);
        Assert.Empty(liveness.Sweep(Bound, Every));

        // The silo stalls for twice the bound: the link's silence is what it was before the stall, not 20 s.
        clock.Advance(Bound * 2);
        Assert.Empty(liveness.Sweep(Bound, Every));
        Assert.Equal((long)(Every * 2).TotalMilliseconds, (long)clock.GetElapsedTime(0).TotalMilliseconds - liveness.LastHeard(link)!.Value);

        // Silence from then on counts again.
        for (var silence = Every * 2; silence + Every < Bound; silence += Every)
        {
            clock.Advance(Every);
            Assert.Empty(liveness.Sweep(Bound, Every));
        }

        clock.Advance(Every);
        Assert.Equal([(link, "a1")], liveness.Sweep(Bound, Every));
    }

    [Fact]
    public void An_agent_in_the_silos_own_process_and_a_forgotten_link_are_never_named()
    {
        var clock = new ManualTimeProvider();
        var liveness = new AgentLiveness(clock);
        var (embedded, closed) = (Guid.NewGuid(), Guid.NewGuid());
        liveness.Linked(embedded, "local");
        liveness.Linked(closed, "a2");
        liveness.Registered(embedded);
        liveness.Registered(closed);
        liveness.MarkInProcess("local");
        liveness.Forget(closed);

        clock.Advance(Bound * 3);
        liveness.Sweep(Bound, Every);
        clock.Advance(Every);
        Assert.Empty(liveness.Sweep(Bound, Every));
        Assert.Null(liveness.LastHeard(closed));
        Assert.NotNull(liveness.LastHeard(embedded));
    }

    [Fact]
    public void A_link_still_registering_is_not_judged_however_long_its_registration_waits()
    {
        var clock = new ManualTimeProvider();
        var liveness = new AgentLiveness(clock);
        var link = Guid.NewGuid();
        liveness.Linked(link, "a1");
        Assert.NotNull(liveness.LastHeard(link)); // here (the agent grain sees its link is on its silo) ...
        for (var waited = TimeSpan.Zero; waited < Bound * 2; waited += Every)
        {
            clock.Advance(Every);
            Assert.Empty(liveness.Sweep(Bound, Every)); // ... but not judged while the registration waits
        }

        liveness.Registered(link);
        for (var silence = TimeSpan.Zero; silence + Every < Bound; silence += Every)
        {
            clock.Advance(Every);
            Assert.Empty(liveness.Sweep(Bound, Every));
        }

        clock.Advance(Every);
        Assert.Equal([(link, "a1")], liveness.Sweep(Bound, Every));
    }
}
