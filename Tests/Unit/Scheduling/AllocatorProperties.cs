using FsCheck;
using FsCheck.Fluent;
using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

/// <summary>
/// Random runs of the allocator (agents, frameworks, roles, weights, reservations; allocate,
/// accept, decline, recover, suppress, revive, time passing, offer timeouts, agent loss) checked
/// against an independent model after every step.
/// </summary>
[Trait("Area", "Scheduling")]
public sealed class AllocatorProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(150);

    private static readonly Gen<(int Seed, int Agents, int Frameworks, int Steps)> Scenarios =
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from agents in Gen.Choose(1, 25)
        from frameworks in Gen.Choose(1, 6)
        from steps in Gen.Choose(10, 150)
        select (seed, agents, frameworks, steps);

    [Fact]
    public void No_agent_is_over_committed_and_suppressed_or_filtered_frameworks_get_no_offers()
    {
        Check.One(Runs, Prop.ForAll(Scenarios.ToArbitrary(), scenario => new Simulation(scenario).Run()));
    }

    [Fact]
    public void With_equal_weights_and_demands_dominant_shares_converge()
    {
        var scenarios =
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from agents in Gen.Choose(2, 40)
            from frameworks in Gen.Choose(2, 6)
            select (seed, agents, frameworks);
        Check.One(Runs, Prop.ForAll(scenarios.ToArbitrary(), s => ConvergenceHolds(s.seed, s.agents, s.frameworks)));
    }

    private static void ConvergenceHolds(int seed, int agentCount, int frameworkCount)
    {
        var random = new Random(seed);
        var time = new ManualTimeProvider();
        var allocator = new Allocator(new AllocatorOptions(), time, new Random(seed));
        var totals = new List<Res>();
        for (var i = 0; i < agentCount; i++)
        {
            // Agents of different sizes but of the tasks' shape, so a framework can use all it is offered
            // (leftovers no task fits would distort shares for any offer-based allocator, Mesos' too).
            var size = random.Next(1, 9);
            var total = Res.Parse($"cpus:{size};mem:{1024 * size}");
            totals.Add(total);
            allocator.AddAgent(Agent(i), total);
        }

        for (var f = 0; f < frameworkCount; f++)
        {
            allocator.AddFramework($"fw{f}", ["*"]);
        }

        // Every framework runs tasks of cpus:1;mem:1024, as many as each offer fits.
        var task = Res.Parse("cpus:1;mem:1024");
        for (var cycle = 0; cycle < 10_000; cycle++)
        {
            var offers = allocator.Allocate();
            if (offers.Count == 0)
            {
                break;
            }

            foreach (var offer in offers)
            {
                var fits = (int)Math.Min(offer.Resources.ScalarTotal("cpus").ToDouble(), offer.Resources.ScalarTotal("mem").ToDouble() / 1024);
                var used = Enumerable.Repeat(task, fits).Aggregate(Res.Empty, (sum, t) => sum.Plus(t));
                allocator.Accept(offer.OfferId, used, refuse: TimeSpan.FromDays(1));
            }
        }

        // DRF: no framework ends more than one allocation (one agent's worth) below another.
        var cpus = totals.Sum(t => t.ScalarTotal("cpus").ToDouble());
        var mem = totals.Sum(t => t.ScalarTotal("mem").ToDouble());
        var oneAgent = totals.Max(t => Math.Max(t.ScalarTotal("cpus").ToDouble() / cpus, t.ScalarTotal("mem").ToDouble() / mem));
        var shares = Enumerable.Range(0, frameworkCount).Select(f => allocator.FrameworkShare($"fw{f}")).ToArray();
        Assert.True(shares.Max() - shares.Min() <= oneAgent + 1e-9, $"shares {string.Join(", ", shares)} differ by more than {oneAgent}");
    }

    /// <summary>One random run with its model.</summary>
    private sealed class Simulation
    {
        private static readonly TimeSpan[] Refusals = [TimeSpan.Zero, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)];
        private readonly Random _random;
        private readonly int _steps;
        private readonly ManualTimeProvider _time = new();
        private readonly Allocator _allocator;
        private readonly Dictionary<string, Res> _totals = [];
        private readonly List<string> _frameworks = [];
        private readonly HashSet<string> _suppressed = [];
        private readonly Dictionary<(string Framework, string Agent), DateTimeOffset> _filters = [];
        private readonly List<(string Agent, string Framework, string Role, Res Resources)> _launched = [];
        private int _nextAgent;

        public Simulation((int Seed, int Agents, int Frameworks, int Steps) scenario)
        {
            _random = new Random(scenario.Seed);
            _steps = scenario.Steps;
            _allocator = new Allocator(new AllocatorOptions { OfferTimeout = TimeSpan.FromSeconds(30) }, _time, new Random(scenario.Seed));
            string[] roles = ["*", "r1", "r2"];
            _allocator.SetWeight("r1", 0.5 + _random.NextDouble() * 3);
            _allocator.SetWeight("r2", 0.5 + _random.NextDouble() * 3);
            for (var f = 0; f < scenario.Frameworks; f++)
            {
                _frameworks.Add($"fw{f}");
                _allocator.AddFramework($"fw{f}", [roles[_random.Next(roles.Length)]]);
            }

            for (var i = 0; i < scenario.Agents; i++)
            {
                AddAgent();
            }
        }

        public void Run()
        {
            for (var step = 0; step < _steps; step++)
            {
                switch (_random.Next(10))
                {
                    case 0 or 1 or 2: AllocateAndCheck(); break;
                    case 3: AcceptOne(); break;
                    case 4: DeclineOne(); break;
                    case 5: RecoverOne(); break;
                    case 6: SuppressOne(); break;
                    case 7: ReviveOne(); break;
                    case 8:
                        _time.Advance(TimeSpan.FromSeconds(_random.Next(0, 13)));
                        _allocator.ExpireOffers();
                        break;
                    default: ReplaceAnAgent(); break;
                }

                CheckNothingIsOverCommitted();
            }
        }

        private void AddAgent()
        {
            var id = _nextAgent++;
            var text = $"cpus:{_random.Next(1, 9)}.5;mem:{256 * _random.Next(1, 33)};ports:[31000-{31000 + _random.Next(0, 20)}]";
            if (_random.Next(3) == 0)
            {
                text += $";cpus(r1):{_random.Next(1, 4)};mem(r1):{512 * _random.Next(1, 5)}";
            }

            var total = Res.Parse(text);
            _totals[$"agent-{id}"] = total;
            _allocator.AddAgent(Agent(id), total);
        }

        private void AllocateAndCheck()
        {
            var now = _time.GetUtcNow();
            foreach (var offer in _allocator.Allocate())
            {
                Assert.DoesNotContain(offer.FrameworkId, _suppressed);
                Assert.False(
                    _filters.TryGetValue((offer.FrameworkId, offer.AgentId), out var until) && until > now,
                    $"{offer.FrameworkId} was offered {offer.AgentId} before its filter expired");
            }
        }

        private Offer? AnyOffer() => _allocator.Offers.Count == 0 ? null : _allocator.Offers.ElementAt(_random.Next(_allocator.Offers.Count));

        private void AcceptOne()
        {
            if (AnyOffer() is not { } offer)
            {
                return;
            }

            // Use about half of every scalar and the lower half of the ports.
            var used = Res.From(offer.Resources.Select(r => r.Kind == ResourceKind.Scalar
                ? Resource.OfScalar(r.Name, new Scalar(r.Scalar.Millis / 2), r.Role)
                : Resource.OfRanges(r.Name, r.Ranges!.TakeLowest(r.Ranges.Count / 2)!, r.Role)));
            var refuse = Refusals[_random.Next(Refusals.Length)];
            _allocator.Accept(offer.OfferId, used, refuse);
            _launched.Add((offer.AgentId, offer.FrameworkId, offer.Role, used));
            if (!offer.Resources.Minus(used).IsEmpty && refuse > TimeSpan.Zero)
            {
                _filters[(offer.FrameworkId, offer.AgentId)] = _time.GetUtcNow() + refuse;
            }
        }

        private void DeclineOne()
        {
            if (AnyOffer() is not { } offer)
            {
                return;
            }

            var refuse = Refusals[_random.Next(Refusals.Length)];
            _allocator.Decline(offer.OfferId, refuse);
            if (refuse > TimeSpan.Zero)
            {
                _filters[(offer.FrameworkId, offer.AgentId)] = _time.GetUtcNow() + refuse;
            }
        }

        private void RecoverOne()
        {
            if (_launched.Count == 0)
            {
                return;
            }

            var index = _random.Next(_launched.Count);
            var (agent, framework, role, resources) = _launched[index];
            _launched.RemoveAt(index);
            _allocator.Recover(agent, framework, role, resources);
        }

        private void SuppressOne()
        {
            var framework = _frameworks[_random.Next(_frameworks.Count)];
            _allocator.Suppress(framework);
            _suppressed.Add(framework);
        }

        private void ReviveOne()
        {
            var framework = _frameworks[_random.Next(_frameworks.Count)];
            _allocator.Revive(framework);
            _suppressed.Remove(framework);
            foreach (var key in _filters.Keys.Where(k => k.Framework == framework).ToArray())
            {
                _filters.Remove(key);
            }
        }

        private void ReplaceAnAgent()
        {
            var agent = _totals.Keys.ElementAt(_random.Next(_totals.Count));
            _allocator.RemoveAgent(agent);
            _totals.Remove(agent);
            _launched.RemoveAll(l => l.Agent == agent);
            AddAgent();
        }

        /// <summary>For every agent and every (resource, role): free + offered + used = total, counted independently of the allocator's own sums.</summary>
        private void CheckNothingIsOverCommitted()
        {
            foreach (var (agentId, total) in _totals)
            {
                var free = _allocator.DescribeAgent(agentId).Free;
                var offers = _allocator.Offers.Where(o => o.AgentId == agentId).Select(o => o.Resources);
                var used = _launched.Where(l => l.Agent == agentId).Select(l => l.Resources);
                var parts = offers.Concat(used).Append(free).ToArray();
                foreach (var resource in total)
                {
                    var sum = resource.Kind == ResourceKind.Scalar
                        ? parts.Sum(p => p.ScalarOf(resource.Name, resource.Role).Millis)
                        : parts.Sum(p => (long)p.RangesOf(resource.Name, resource.Role).Count);
                    var expected = resource.Kind == ResourceKind.Scalar ? resource.Scalar.Millis : (long)resource.Ranges!.Count;
                    Assert.True(sum == expected, $"{agentId} {resource.Name}({resource.Role}): free+offered+used = {sum}, total {expected}");
                }

                Assert.True(parts.Aggregate(Res.Empty, (a, b) => a.Plus(b)).Equals(total), $"{agentId}: parts do not add up to {total}");
            }
        }
    }
}
