using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.Unit.Marathon;

/// <summary>App definitions: Marathon's defaults, one error per bad field with its path, unsupported fields named.</summary>
[Trait("Area", "Marathon")]
public sealed class AppReaderTests
{
    [Fact]
    public void Defaults_are_Marathons()
    {
        var app = AppReader.ReadOne(JsonNode.Parse("""{"id": "sleep", "cmd": "sleep 100"}"""));
        Assert.Equal("/sleep", app.Id);
        Assert.Equal(1, app.Instances);
        Assert.Equal(1, app.Cpus);
        Assert.Equal(128, app.Mem);
        Assert.Equal(1, app.BackoffSeconds);
        Assert.Equal(1.15, app.BackoffFactor);
        Assert.Equal(300, app.MaxLaunchDelaySeconds);
        Assert.Equal(1, app.UpgradeStrategy.MinimumHealthCapacity);
        Assert.Equal(1, app.UpgradeStrategy.MaximumOverCapacity);
        Assert.Equal(KillSelections.YoungestFirst, app.KillSelection);
        Assert.NotNull(app.UnreachableStrategy);
        var json = JsonSerializer.Serialize(app);
        Assert.Contains("\"backoffFactor\":1.15", json);
    }

    [Fact]
    public void Every_bad_field_is_named_with_its_path()
    {
        var error = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(JsonNode.Parse("""
            {"id": "/Bad_Id", "cmd": "x", "cpus": -1, "mem": "lots", "instances": 1.5,
             "constraints": [["hostname", "SOMETIMES"]], "healthChecks": [{"protocol": "GOPHER", "portIndex": 3}],
             "upgradeStrategy": {"minimumHealthCapacity": 2}, "killSelection": "RANDOM", "instnces": 3}
            """)));
        var paths = error.Details.Select(d => d.Path).ToHashSet();
        foreach (var expected in new[] { "/id", "/cpus", "/mem", "/instances", "/constraints/0", "/healthChecks/0/protocol", "/healthChecks/0/portIndex", "/upgradeStrategy/minimumHealthCapacity", "/killSelection", "/instnces" })
        {
            Assert.Contains(expected, paths);
        }

        Assert.All(error.Details, d => Assert.NotEmpty(d.Errors));
    }

    [Fact]
    public void Details_survive_the_message_round_trip_of_a_grain_call()
    {
        var original = MarathonValidationException.Of("/cpus", "must be at least 0");
        var rebuilt = new MarathonValidationException(original.Message);
        Assert.Equal("/cpus", Assert.Single(rebuilt.Details).Path);
    }

    [Theory]
    [InlineData("""{"id": "/a", "cmd": "x", "args": ["y"]}""", "/cmd")]
    [InlineData("""{"id": "/a"}""", "/cmd")]
    [InlineData("""{"id": "/a", "cmd": "x", "requirePorts": true, "portDefinitions": [{"port": 0}]}""", "/requirePorts")]
    [InlineData("""{"id": "/a", "cmd": "x", "portDefinitions": [{"port": 80, "name": "a"}, {"port": 81, "name": "a"}]}""", "/portDefinitions")]
    [InlineData("""{"id": "/a", "cmd": "x", "readinessChecks": [{"portName": "nope"}]}""", "/readinessChecks/0/portName")]
    [InlineData("""{"id": "/a", "cmd": "x", "unreachableStrategy": "sometimes"}""", "/unreachableStrategy")]
    [InlineData("""{"id": "/a", "cmd": "x", "dependencies": ["/a"]}""", "/dependencies/0")]
    [InlineData("""{"id": "/a", "cmd": "x", "container": {"type": "MESOS", "volumes": [{"containerPath": "/d", "hostPath": "/tmp", "mode": "RW"}]}}""", "/container/volumes/0")]
    [InlineData("""{"id": "../a", "cmd": "x"}""", "/id")]
    public void Invalid_definitions_name_the_field(string json, string path)
    {
        var error = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(JsonNode.Parse(json)));
        Assert.Contains(path, error.Details.Select(d => d.Path));
    }

    [Fact]
    public void Relative_ids_and_dependencies_resolve_against_the_parent_group()
    {
        var app = AppReader.ReadOne(JsonNode.Parse("""{"id": "api", "cmd": "x", "dependencies": ["db", "../shared/cache"]}"""), parentGroup: "/prod/stack");
        Assert.Equal("/prod/stack/api", app.Id);
        Assert.Equal(["/prod/stack/db", "/prod/shared/cache"], app.Dependencies);
    }

    [Fact]
    public void Output_only_fields_of_a_GET_answer_are_ignored_so_it_can_be_sent_back()
    {
        var app = AppReader.ReadOne(JsonNode.Parse("""{"id": "/a", "cmd": "x"}"""));
        var echoed = JsonNode.Parse(JsonSerializer.Serialize(app))!.AsObject();
        echoed["version"] = "2015-09-28T19:47:37.681Z";
        echoed["tasksRunning"] = 3;
        echoed["versionInfo"] = new JsonObject { ["lastScalingAt"] = "x", ["lastConfigChangeAt"] = "y" };
        var again = AppReader.ReadOne(echoed);
        Assert.Equal(JsonSerializer.Serialize(app), JsonSerializer.Serialize(again));
    }

    [Fact]
    public void Legacy_ports_and_uris_are_read_as_portDefinitions_and_fetch()
    {
        var app = AppReader.ReadOne(JsonNode.Parse("""{"id": "/a", "cmd": "x", "ports": [0, 8080], "uris": ["http://h/a.tgz"]}"""));
        Assert.Equal([0, 8080], app.PortDefinitions.Select(p => p.Port));
        Assert.True(Assert.Single(app.Fetch).Extract);
    }

    [Fact]
    public void The_projects_fixtures_and_Marathons_examples_are_accepted_or_refused_naming_the_fields()
    {
        var checkedFiles = 0;
        foreach (var (name, node) in MarathonExamples.Definitions())
        {
            checkedFiles++;
            try
            {
                if (MarathonExamples.IsGroupDefinition(node))
                {
                    GroupReader.Read(node, null);
                }
                else if (node is JsonArray)
                {
                    AppReader.ReadMany(node);
                }
                else
                {
                    AppReader.ReadOne(node);
                }

                Assert.False(MarathonExamples.Refused.ContainsKey(name), $"{name} should have been refused");
            }
            catch (MarathonValidationException ex)
            {
                Assert.True(MarathonExamples.Refused.TryGetValue(name, out var expected), $"{name} was refused: {ex.Message}");
                Assert.Equal(expected.Order(), ex.Details.Select(d => d.Path).Order());
            }
        }

        Assert.True(checkedFiles >= 4);
    }
}
