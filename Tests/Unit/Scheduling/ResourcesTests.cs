using OrleansDcos.Scheduling.Resources;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

[Trait("Area", "Scheduling")]
public sealed class ResourcesTests
{
    [Fact]
    public void Cpus_arithmetic_is_exact()
    {
        var sum = Res.Parse("cpus:0.1").Plus(Res.Parse("cpus:0.2"));

        Assert.Equal(Res.Parse("cpus:0.3"), sum);
        Assert.Equal("cpus:0.3", sum.ToString());
        Assert.Equal(Res.Parse("cpus:0.2"), sum.Minus(Res.Parse("cpus:0.1")));
    }

    [Theory]
    [InlineData("0.0004", 0)]
    [InlineData("0.0005", 1)]
    [InlineData("1.23456", 1235)]
    [InlineData("16384", 16384000)]
    public void Scalars_keep_three_decimals(string text, long millis)
    {
        Assert.True(Scalar.TryParse(text, out var value));
        Assert.Equal(millis, value.Millis);
    }

    [Fact]
    public void The_mesos_agent_syntax_round_trips()
    {
        var resources = Res.Parse("cpus:8;mem:16384;disk:100000;ports:[31000-32000];gpus:1");

        Assert.Equal(8, resources.ScalarTotal("cpus").ToDouble());
        Assert.Equal(16384, resources.ScalarTotal("mem").ToDouble());
        Assert.Equal(100000, resources.ScalarTotal("disk").ToDouble());
        Assert.Equal(1, resources.ScalarTotal("gpus").ToDouble());
        Assert.Equal(1001UL, resources.RangesOf("ports").Count);
        Assert.Equal(resources, Res.Parse(resources.ToString()));
    }

    [Fact]
    public void Static_reservations_keep_their_role()
    {
        var resources = Res.Parse("cpus:8;cpus(analytics):4;mem(analytics):1024;mem:2048");

        Assert.Equal(12, resources.ScalarTotal("cpus").ToDouble());
        Assert.Equal(4, resources.ScalarOf("cpus", "analytics").ToDouble());
        Assert.Equal(8, resources.ScalarOf("cpus").ToDouble());
        Assert.Equal(Res.Parse("cpus:8;mem:2048"), resources.Unreserved);
        Assert.Equal(resources, resources.AllocatableTo("analytics"));
        Assert.Equal(Res.Parse("cpus:8;mem:2048"), resources.AllocatableTo("web"));
        Assert.Contains("cpus(analytics):4", resources.ToString());
    }

    [Fact]
    public void Sets_and_ranges_add_subtract_and_contain()
    {
        var a = Res.Parse("ports:[1-10,20-30];bugs:{a,b,c}");
        var b = Res.Parse("ports:[5-6,30-30];bugs:{b}");

        Assert.True(a.Contains(b));
        var left = a.Minus(b);
        Assert.Equal("bugs:{a,c};ports:[1-4,7-10,20-29]", left.ToString());
        Assert.Equal(a, left.Plus(b));
        Assert.False(left.Contains(b));
    }

    [Fact]
    public void Subtracting_what_is_not_there_fails_and_changes_nothing()
    {
        var a = Res.Parse("cpus:1;mem:128");

        var ex = Assert.Throws<InvalidOperationException>(() => a.Minus(Res.Parse("cpus:2")));
        Assert.Contains("not contained", ex.Message);
        Assert.Equal("cpus:1;mem:128", a.ToString());
        Assert.False(a.Contains(Res.Parse("cpus(analytics):1")));
    }

    [Fact]
    public void Zero_amounts_disappear()
    {
        var a = Res.Parse("cpus:1;mem:0");

        Assert.Equal("cpus:1", a.ToString());
        Assert.True(a.Minus(a).IsEmpty);
    }

    [Theory]
    [InlineData("cpus:abc", "cpus:abc", "'abc' is not a non-negative number")]
    [InlineData("cpus:8;mem", "mem", "expected name:value")]
    [InlineData("cpus:8;ports:[31000-30000]", "ports:[31000-30000]", "ends before it begins")]
    [InlineData("ports:[1-2", "ports:[1-2", "must end with ']'")]
    [InlineData("cpus(:1", "cpus(:1", "is not a resource name")]
    [InlineData("cpus:-1", "cpus:-1", "not a non-negative number")]
    [InlineData("cpus:1;cpus:[1-2]", "cpus:[1-2]", "is both Scalar and Ranges")]
    [InlineData("mem:", "mem:", "the value is empty")]
    public void Bad_syntax_names_the_offending_fragment(string text, string fragment, string reason)
    {
        var ex = Assert.Throws<ResourceParseException>(() => Res.Parse(text));

        Assert.Equal(fragment, ex.Fragment);
        Assert.StartsWith($"invalid '{fragment}': ", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Ranges_coalesce_overlapping_and_adjacent_pieces()
    {
        var ranges = ValueRanges.From([(10, 20), (5, 9), (30, 31), (15, 25)]);

        Assert.Equal("[5-25,30-31]", ranges.ToString());
        Assert.Equal(23UL, ranges.Count);
        Assert.True(ranges.Contains(9));
        Assert.False(ranges.Contains(26));
    }

    [Fact]
    public void Ranges_subtract_from_the_middle_and_the_edges()
    {
        var ranges = ValueRanges.Of(1, 100);

        Assert.Equal("[1-9,21-49,61-100]", ranges.Subtract(ValueRanges.From([(10, 20), (50, 60)])).ToString());
        Assert.Equal("[2-99]", ranges.Subtract(ValueRanges.OfValues([1, 100])).ToString());
        Assert.Equal("[]", ranges.Subtract(ValueRanges.Of(0, 200)).ToString());
    }

    [Fact]
    public void Lowest_ports_are_taken_across_ranges()
    {
        var ranges = ValueRanges.From([(31000, 31001), (31005, 31010)]);

        Assert.Equal("[31000-31001,31005-31005]", ranges.TakeLowest(3)!.ToString());
        Assert.Null(ranges.TakeLowest(9));
    }

    [Fact]
    public void Intersect_splits_a_need_over_two_offers()
    {
        var first = Resources.Parse("cpus:1;mem:512;ports:[31000-31002]");
        var second = Resources.Parse("cpus:2;mem:128;ports:[31005-31009];gpus(ml):1");
        var need = Resources.Parse("cpus:2.5;mem:600;ports:[31001-31001,31006-31007]");

        var fromFirst = first.Intersect(need);
        var rest = need.Minus(fromFirst);
        var fromSecond = second.Intersect(rest);

        Assert.Equal("cpus:1;mem:512;ports:[31001-31001]", fromFirst.ToString());
        Assert.Equal("cpus:1.5;mem:88;ports:[31006-31007]", fromSecond.ToString());
        Assert.True(rest.Minus(fromSecond).IsEmpty);
        Assert.True(second.Intersect(Resources.Parse("gpus:1")).IsEmpty); // a reservation for "ml" is not "*"
    }
}
