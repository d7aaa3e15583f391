using FsCheck;
using FsCheck.Fluent;
using OrleansDcos.Scheduling.Deployment;
using Xunit;

namespace OrleansDcos.Tests.Unit.Marathon;

/// <summary>
/// Random rolling restarts and scales, stepped with random instance behaviour (launches that start late, become
/// healthy or never do, kills that take time): the capacity bounds hold after every decision and every restart ends.
/// </summary>
[Trait("Area", "Marathon")]
public sealed class RollingUpdateProperties
{
    [Fact]
    public void Capacity_bounds_hold_at_every_step_and_the_update_finishes()
    {
        var scenarios =
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from instances in Gen.Choose(0, 12)
            from oldCount in Gen.Choose(0, 12)
            from min in Gen.Elements(0.0, 0.25, 0.5, 0.75, 1.0)
            from over in Gen.Elements(0.0, 0.2, 0.5, 1.0)
            select (seed, instances, oldCount, min, over);
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(300),
            Prop.ForAll(scenarios.ToArbitrary(), s => Run(s.seed, s.instances, s.oldCount, s.min, s.over)));
    }

    [Fact]
    public void A_full_strength_restart_with_room_launches_all_new_instances_first_and_kills_none()
    {
        var old = Enumerable.Range(0, 3).Select(i => new RollingInstance($"old{i}", false, true, At(i))).ToList();
        var decision = RollingUpdate.Decide(3, 1, 1, old, 0, killOldestFirst: false);
        Assert.Equal(3, decision.Launch);
        Assert.Empty(decision.Kill);
        Assert.False(decision.Done);
    }

    [Fact]
    public void No_over_capacity_kills_down_to_the_minimum_first()
    {
        var old = Enumerable.Range(0, 4).Select(i => new RollingInstance($"old{i}", false, true, At(i))).ToList();
        var decision = RollingUpdate.Decide(4, 0.5, 0, old, 0, killOldestFirst: false);
        Assert.Equal(2, decision.Kill.Count);
        Assert.Equal(0, decision.Launch); // the killed ones are live until they end
        Assert.Equal(["old0", "old1"], decision.Kill.Order().ToArray());
    }

    [Fact]
    public void Scale_down_kills_by_the_kill_selection()
    {
        var live = Enumerable.Range(0, 5).Select(i => new RollingInstance($"t{i}", true, true, At(i))).ToList();
        Assert.Equal(["t3", "t4"], RollingUpdate.Decide(3, 1, 1, live, 0, killOldestFirst: false).Kill.Order().ToArray());
        Assert.Equal(["t0", "t1"], RollingUpdate.Decide(3, 1, 1, live, 0, killOldestFirst: true).Kill.Order().ToArray());
    }

    [Fact]
    public void Done_only_when_every_target_instance_is_healthy()
    {
        var live = new List<RollingInstance> { new("a", true, true, At(0)), new("b", true, false, At(1)) };
        Assert.False(RollingUpdate.Decide(2, 1, 1, live, 0, false).Done);
        live[1] = live[1] with { Healthy = true };
        Assert.True(RollingUpdate.Decide(2, 1, 1, live, 0, false).Done);
    }

    private static void Run(int seed, int instances, int oldCount, double min, double over)
    {
        var random = new Random(seed);
        var maxLive = Math.Max(RollingUpdate.MaxLive(instances, over), instances);
        var minHealthy = Math.Min(RollingUpdate.MinHealthy(instances, min), instances);
        var noRoom = minHealthy >= maxLive;
        var live = new List<Sim>();
        for (var i = 0; i < oldCount; i++)
        {
            live.Add(new Sim($"old{i}", false, random.NextDouble() < 0.85, i));
        }

        var pending = 0;
        var next = 0;
        var clock = 100.0;
        for (var tick = 0; tick < 2000; tick++)
        {
            var healthyBefore = live.Count(s => s.Healthy && !s.Killing);
            var decision = RollingUpdate.Decide(instances, min, over, live.Select(s => s.View).ToList(), pending, killOldestFirst: random.Next(2) == 0);
            foreach (var id in decision.Kill)
            {
                var victim = live.Single(s => s.Id == id);
                Assert.False(victim.Killing, "an instance being killed is killed again");
                victim.Killing = true;
            }

            pending += decision.Launch;
            var liveNow = live.Count + pending;
            var healthyNow = live.Count(s => s.Healthy && !s.Killing);
            if (oldCount <= maxLive)
            {
                Assert.True(liveNow <= Math.Max(maxLive, oldCount), $"{liveNow} live > {maxLive} (instances {instances}, over {over})");
            }

            // The restart's own kills never take the healthy count below the minimum (nor below what it was).
            // (Without room, one at a time may go: Marathon's way out.)
            Assert.True(healthyNow >= Math.Min(minHealthy, healthyBefore) - (noRoom ? 1 : 0), $"healthy {healthyBefore} -> {healthyNow} < min {minHealthy}");
            if (decision.Done)
            {
                Assert.Equal(instances, live.Count);
                Assert.All(live, s => Assert.True(s.Current && s.Healthy));
                return;
            }

            // The world moves: one random thing happens.
            clock++;
            switch (random.Next(4))
            {
                case 0 when pending > 0:
                    pending--;
                    live.Add(new Sim($"new{next++}", true, false, clock));
                    break;
                case 1 when live.FirstOrDefault(s => s.Killing) is { } dying:
                    live.Remove(dying);
                    break;
                case 2 when live.FirstOrDefault(s => s.Current && !s.Healthy && !s.Killing) is { } starting:
                    if (random.NextDouble() < 0.1)
                    {
                        live.Remove(starting); // it failed; the update must launch another
                    }
                    else
                    {
                        starting.Healthy = true;
                    }

                    break;
                default:
                    break;
            }
        }

        Assert.Fail($"the update did not finish (instances {instances}, old {oldCount}, min {min}, over {over})");
    }

    /// <summary>A launch time <paramref name="seconds"/> after the epoch.</summary>
    private static DateTimeOffset At(double seconds) => DateTimeOffset.UnixEpoch.AddSeconds(seconds);

    private sealed class Sim(string id, bool current, bool healthy, double startedAt)
    {
        public string Id { get; } = id;

        public bool Current { get; } = current;

        public bool Healthy { get; set; } = healthy;

        public bool Killing { get; set; }

        public RollingInstance View => new(Id, Current, Healthy, At(startedAt), Killing);
    }
}
