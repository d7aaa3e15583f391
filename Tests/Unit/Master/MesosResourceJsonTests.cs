using System.Text.Json;
using OrleansDcos.Mesos;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class MesosResourceJsonTests
{
    private static IEnumerable<JsonElement> Elements(string json) => JsonDocument.Parse(json).RootElement.EnumerateArray();

    [Theory]
    [InlineData("cpus:1.5;mem:128")]
    [InlineData("cpus(web):2;cpus:0.5;mem:64;ports:[31000-31001,31005-31005]")]
    [InlineData("disk:1024;gpus:1;labels:{a,b}")]
    public void Text_goes_to_Mesos_JSON_and_back_unchanged(string text)
    {
        var json = MesosResourceJson.ToJson(Res.Parse(text));
        Assert.Equal(Res.Parse(text), MesosResourceJson.FromJson(Elements(json.ToJsonString()), "resources"));
    }

    [Fact]
    public void The_JSON_has_Mesos_shape_with_reservations_and_allocation_info()
    {
        var json = MesosResourceJson.ToJson(Res.Parse("cpus(web):2;ports:[31000-31001]"), allocationRole: "web");
        var cpus = json.Single(r => r!["name"]!.GetValue<string>() == "cpus")!;
        Assert.Equal("SCALAR", cpus["type"]!.GetValue<string>());
        Assert.Equal(2, cpus["scalar"]!["value"]!.GetValue<double>());
        Assert.Equal("web", cpus["reservations"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("STATIC", cpus["reservations"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("web", cpus["allocation_info"]!["role"]!.GetValue<string>());
        var ports = json.Single(r => r!["name"]!.GetValue<string>() == "ports")!;
        Assert.Equal("RANGES", ports["type"]!.GetValue<string>());
        Assert.Equal(31001UL, ports["ranges"]!["range"]![0]!["end"]!.GetValue<ulong>());
        Assert.Null(ports["reservations"]);
    }

    [Theory]
    [InlineData("""[{"type": "SCALAR", "scalar": {"value": 1}}]""", "resources[0].name is required")]
    [InlineData("""[{"name": "cpus", "type": "SCALAR"}]""", "resources[0].scalar is required")]
    [InlineData("""[{"name": "cpus", "scalar": {"value": "one"}}]""", "resources[0].scalar.value must be a number")]
    [InlineData("""[{"name": "cpus", "type": "TEXT", "text": {}}]""", "resources[0].type must be SCALAR, RANGES or SET (is TEXT)")]
    [InlineData("""[{"name": "ports", "type": "RANGES", "ranges": {"range": [{"begin": -1, "end": 3}]}}]""", "resources[0].ranges.range[0].begin must be a whole number from 0")]
    [InlineData("""[{"name": "cpus", "scalar": {"value": 1}}, "cpus"]""", "resources[1] must be an object")]
    [InlineData("""[{"name": "cpus", "scalar": {"value": 1}, "reservations": [{"type": "STATIC"}]}]""", "resources[0].reservations[0].role is required")]
    public void Bad_JSON_is_refused_naming_the_path(string json, string message)
    {
        var refused = Assert.Throws<MesosJsonException>(() => MesosResourceJson.FromJson(Elements(json), "resources"));
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void A_role_comes_from_the_last_reservation_then_role_then_star()
    {
        Assert.Equal(Res.Parse("cpus(b):1"), MesosResourceJson.FromJson(Elements("""[{"name": "cpus", "scalar": {"value": 1}, "role": "a", "reservations": [{"role": "x"}, {"role": "b"}]}]"""), "r"));
        Assert.Equal(Res.Parse("cpus(a):1"), MesosResourceJson.FromJson(Elements("""[{"name": "cpus", "scalar": {"value": 1}, "role": "a"}]"""), "r"));
        Assert.Equal(Res.Parse("cpus:1"), MesosResourceJson.FromJson(Elements("""[{"name": "cpus", "scalar": {"value": 1}}]"""), "r"));
    }

    [Fact]
    public void Summaries_and_attributes_have_the_state_endpoints_shape()
    {
        var summary = MesosResourceJson.Summary(Res.Parse("cpus(web):1;cpus:0.5;ports:[31000-32000]"));
        Assert.Equal(1.5, summary["cpus"]!.GetValue<double>());
        Assert.Equal(0, summary["mem"]!.GetValue<double>());
        Assert.Equal("[31000-32000]", summary["ports"]!.GetValue<string>());

        var attributes = MesosResourceJson.AttributesToJson("rack:r1;level:10");
        Assert.Contains(attributes, a => a!["name"]!.GetValue<string>() == "level" && a["scalar"]!["value"]!.GetValue<double>() == 10);
        Assert.Contains(attributes, a => a!["name"]!.GetValue<string>() == "rack" && a["text"]!["value"]!.GetValue<string>() == "r1");
        Assert.Equal("level:10;rack:r1", MesosResourceJson.AttributesFromJson(Elements(attributes.ToJsonString()), "attributes"));
        Assert.Equal(10, MesosResourceJson.AttributeSummary("rack:r1;level:10")["level"]!.GetValue<double>());
        Assert.Empty(MesosResourceJson.AttributeSummary(""));
    }
}
