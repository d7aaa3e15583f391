using OrleansDcos.Scheduling.Deployment;
using Xunit;

namespace OrleansDcos.Tests.Unit.Marathon;

[Trait("Area", "Marathon")]
public sealed class DeploymentWaitTests
{
    private static WaitFacts Facts(int target = 4, int ready = 0, int starting = 0, int notHealthy = 0, int notReady = 0, int old = 0,
        int killing = 0, int unreachable = 0, int pending = 0, double delay = 0) =>
        new(target, ready, starting, notHealthy, notReady, old, killing, unreachable, pending, TimeSpan.FromSeconds(delay));

    [Fact]
    public void A_rolling_restart_half_way_says_everything_that_holds_it()
    {
        Assert.Equal("waiting for offers to launch 1 instance(s); 1 new instance(s) not healthy yet; waiting for 1 killed task(s) to end; 1 old instance(s) left to replace",
            DeploymentWait.Explain(Facts(ready: 1, notHealthy: 1, old: 1, killing: 1, pending: 1)));
    }

    [Fact]
    public void The_schedulers_reason_replaces_waiting_for_offers_and_a_backoff_comes_first()
    {
        Assert.Equal("2 of 2 instance(s) could not be placed: insufficient cpus: 3 agents",
            DeploymentWait.Explain(Facts(pending: 2), "2 of 2 instance(s) could not be placed: insufficient cpus: 3 agents"));
        Assert.Equal("launches of 2 instance(s) are delayed 3.5 s more after task failures (backoff)",
            DeploymentWait.Explain(Facts(pending: 2, delay: 3.5), "ignored while the backoff holds"));
    }

    [Fact]
    public void A_stop_waits_for_its_kills_and_readiness_and_unreachable_agents_are_named()
    {
        Assert.Equal("waiting for 3 killed task(s) to end", DeploymentWait.Explain(Facts(target: 0, killing: 3)));
        Assert.Equal("2 new instance(s) not ready yet (readiness check)", DeploymentWait.Explain(Facts(ready: 2, notReady: 2)));
        Assert.Equal("3 instance(s) on unreachable agents", DeploymentWait.Explain(Facts(ready: 1, unreachable: 3)));
    }

    [Fact]
    public void Nothing_in_the_way_is_no_reason_unless_instances_are_missing()
    {
        Assert.Null(DeploymentWait.Explain(Facts(ready: 4)));
        Assert.Equal("3 of 4 instance(s) ready", DeploymentWait.Explain(Facts(ready: 3)));
    }
}
