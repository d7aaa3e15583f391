using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Placement;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;

namespace OrleansDcos.Tests.Unit.Scheduling;

[Trait("Area", "Scheduling")]
public sealed class ConstraintTests
{
    [Theory]
    [InlineData("hostname", "SPREAD", null, "operator 'SPREAD' is unknown")]
    [InlineData("hostname", "UNIQUE", "x", "UNIQUE takes no value")]
    [InlineData("rack", "MAX_PER", null, "MAX_PER needs a number")]
    [InlineData("rack", "MAX_PER", "0", "MAX_PER value '0' is not a positive integer")]
    [InlineData("rack", "GROUP_BY", "two", "GROUP_BY value 'two' is not a positive integer")]
    [InlineData("rack", "LIKE", "r[", "LIKE value 'r[' is not a valid regular expression")]
    [InlineData("rack", "UNLIKE", null, "UNLIKE needs a regular expression")]
    [InlineData("rack", "IS", null, "IS needs a value")]
    [InlineData("", "UNIQUE", null, "constraint field is empty")]
    public void Invalid_constraints_are_refused_with_the_reason(string field, string op, string? value, string expected)
    {
        var ex = Assert.Throws<InvalidConstraintException>(() => Constraint.Create(field, op, value));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Unique_hostname_puts_one_task_per_agent_and_explains_the_rest()
    {
        var engine = Engine(Agents(5));

        var result = engine.Place(Request("/web", constraints: [["hostname", "UNIQUE"]]), 7);

        Assert.Equal(5, result.Assignments.Select(a => a.AgentId).Distinct().Count());
        Assert.Equal(2, result.Unplaced);
        Assert.Equal("constraint UNIQUE hostname: 5 agents", result.Rejections.ToString());
    }

    [Fact]
    public void Cluster_with_a_value_keeps_tasks_on_that_value()
    {
        var engine = Engine(Agents(9));

        var result = engine.Place(Request("/db", constraints: [["rack", "CLUSTER", "r1"]]), 4);

        Assert.Equal(0, result.Unplaced);
        Assert.All(result.Assignments, a => Assert.Contains(a.AgentId, new[] { "agent-1", "agent-5" }));
    }

    [Fact]
    public void Cluster_without_a_value_follows_the_first_placement()
    {
        var engine = Engine(Agents(9));

        var result = engine.Place(Request("/db", constraints: [["@zone", "CLUSTER"]]), 6);

        var zones = result.Assignments.Select(a => int.Parse(a.AgentId["agent-".Length..]) % 3).Distinct();
        Assert.Single(zones);
    }

    [Fact]
    public void Group_by_spreads_evenly_over_values()
    {
        var engine = Engine(Agents(12));

        var result = engine.Place(Request("/web", constraints: [["@zone", "GROUP_BY"]]), 9);

        var perZone = result.Assignments.GroupBy(a => int.Parse(a.AgentId["agent-".Length..]) % 3).Select(g => g.Count());
        Assert.Equal([3, 3, 3], perZone);
    }

    [Fact]
    public void Group_by_with_more_values_than_exist_only_takes_unused_values()
    {
        // GROUP_BY:4 over 3 zones: after one task per zone, no value is allowed (Marathon semantics).
        var engine = Engine(Agents(12));

        var result = engine.Place(Request("/web", constraints: [["@zone", "GROUP_BY", "4"]]), 5);

        Assert.Equal(3, result.Assignments.Count);
        Assert.Equal(2, result.Unplaced);
        Assert.Equal("constraint GROUP_BY @zone: 12 agents", result.Rejections.ToString());
    }

    [Fact]
    public void Like_matches_the_whole_value_and_rejects_a_missing_attribute()
    {
        var agents = Agents(4);
        agents.Add((Agent(99), OrleansDcos.Scheduling.Resources.Resources.Parse("cpus:4;mem:4096")));
        var engine = Engine(agents);

        var result = engine.Place(Request("/x", constraints: [["rack", "LIKE", "r[12]"]]), 10);

        Assert.All(result.Assignments, a => Assert.Contains(a.AgentId, new[] { "agent-1", "agent-2" }));
        Assert.Equal(8, result.Assignments.Count);
        Assert.Equal("constraint LIKE rack: 3 agents; insufficient cpus: 2 agents", result.Rejections.ToString());
    }

    [Fact]
    public void Unlike_accepts_a_missing_attribute()
    {
        var agents = Agents(2, racks: 1);
        agents.Add((Agent(99), OrleansDcos.Scheduling.Resources.Resources.Parse("cpus:4;mem:4096")));
        var engine = Engine(agents);

        var result = engine.Place(Request("/x", constraints: [["rack", "UNLIKE", "r0"]]), 3);

        Assert.All(result.Assignments, a => Assert.Equal("agent-99", a.AgentId));
        Assert.Equal(3, result.Assignments.Count);
    }

    [Fact]
    public void Max_per_caps_tasks_per_value()
    {
        var engine = Engine(Agents(8, racks: 2));

        var result = engine.Place(Request("/x", constraints: [["rack", "MAX_PER", "3"]]), 10);

        Assert.Equal(6, result.Assignments.Count);
        Assert.Equal(4, result.Unplaced);
    }

    [Fact]
    public void Is_compares_text_and_numbers()
    {
        var agents = new List<(AgentDescriptor, OrleansDcos.Scheduling.Resources.Resources)>
        {
            (Agent(1, "level:10"), OrleansDcos.Scheduling.Resources.Resources.Parse("cpus:4;mem:4096")),
            (Agent(2, "level:2"), OrleansDcos.Scheduling.Resources.Resources.Parse("cpus:4;mem:4096")),
        };
        var engine = Engine(agents);

        var result = engine.Place(Request("/x", constraints: [["level", "IS", "10.0"]]), 2);

        Assert.All(result.Assignments, a => Assert.Equal("agent-1", a.AgentId));
    }

    [Fact]
    public void Region_and_zone_fields_read_the_fault_domain()
    {
        var engine = Engine(Agents(6));

        var result = engine.Place(Request("/x", constraints: [["@region", "IS", "eu"], ["@zone", "UNIQUE"]]), 4);

        Assert.Equal(3, result.Assignments.Count);
        Assert.Equal("constraint UNIQUE @zone: 6 agents", result.Rejections.ToString());
    }

    [Fact]
    public void Existing_tasks_count_for_constraints_and_released_ones_stop_counting()
    {
        var agents = Agents(3);
        var engine = Engine(agents);
        engine.AddExistingTask("/web", agents[0].Item1);

        var first = engine.Place(Request("/web", constraints: [["hostname", "UNIQUE"]]), 3);
        Assert.Equal(2, first.Assignments.Count);
        Assert.DoesNotContain(first.Assignments, a => a.AgentId == "agent-0");

        engine.Release("/web", "agent-0", OrleansDcos.Scheduling.Resources.Resources.Empty);
        var second = engine.Place(Request("/web", constraints: [["hostname", "UNIQUE"]]), 1);
        Assert.Equal("agent-0", Assert.Single(second.Assignments).AgentId);
    }
}
