using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
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
    [InlineData("""{"id": "/a", "cmd": "x", "role": "web"}""", "/role")]
    [InlineData("""{"id": "/a", "cmd": "x", "networks": [{"mode": "container", "name": "dcos"}]}""", "/networks/0")]
    public void Invalid_definitions_name_the_field(string json, string path)
    {
        var error = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(JsonNode.Parse(json)));
        Assert.Contains(path, error.Details.Select(d => d.Path));
    }

    [Theory]
    [InlineData("""{"id": "/huge", "cmd": "x", "instances": 1000000000}""", "/instances", "must be at most 10000 (the limit Marathon:MaxInstancesPerApp)")]
    [InlineData("""{"id": "/huge", "cmd": "x", "instances": 2147483648}""", "/instances", "must be at most 10000 (the limit Marathon:MaxInstancesPerApp)")]
    [InlineData("""{"id": "/huge", "cmd": "x", "instances": 1e300}""", "/instances", "must be at most 10000 (the limit Marathon:MaxInstancesPerApp)")]
    [InlineData("""{"id": "/huge", "cmd": "x", "instances": 2.5}""", "/instances", "must be an integer")]
    [InlineData("""{"id": "/huge", "cmd": "x", "mem": 1e308}""", "/mem", "must be at most 4194304 (the limit Marathon:MaxInstanceMem)")]
    [InlineData("""{"id": "/huge", "cmd": "x", "cpus": 100000}""", "/cpus", "must be at most 1024 (the limit Marathon:MaxInstanceCpus)")]
    [InlineData("""{"id": "/huge", "cmd": "x", "disk": 1e20}""", "/disk", "must be at most 1073741824 (the limit Marathon:MaxInstanceDisk)")]
    [InlineData("""{"id": "/huge", "cmd": "x", "gpus": 1000}""", "/gpus", "must be at most 64 (the limit Marathon:MaxInstanceGpus)")]
    public void Values_beyond_a_limit_are_refused_naming_the_limit_and_its_setting(string json, string path, string message)
    {
        var error = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(JsonNode.Parse(json)));
        Assert.Equal(message, Assert.Single(error.Details, d => d.Path == path).Errors.Single());
    }

    [Fact]
    public void An_app_shows_Marathons_networks_and_role()
    {
        var app = AppReader.ReadOne(JsonNode.Parse("""{"id": "/a", "cmd": "x", "role": "*", "networks": [{"mode": "host"}]}"""));
        var json = System.Text.Json.JsonSerializer.SerializeToNode(app)!;
        Assert.Equal("*", json["role"]!.GetValue<string>());
        Assert.Equal("host", json["networks"]![0]!["mode"]!.GetValue<string>());
        Assert.Equal("host", System.Text.Json.JsonSerializer.SerializeToNode(AppReader.ReadOne(JsonNode.Parse("""{"id": "/b", "cmd": "x"}""")))!["networks"]![0]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public void Limits_come_from_the_settings()
    {
        var limits = new AppLimits(MaxInstancesPerApp: 3, MaxCpus: 2);
        Assert.Equal(3, AppReader.ReadOne(JsonNode.Parse("""{"id": "/a", "cmd": "x", "instances": 3, "cpus": 2}"""), limits: limits).Instances);
        var error = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(JsonNode.Parse("""{"id": "/a", "cmd": "x", "instances": 4}"""), limits: limits));
        Assert.Equal("must be at most 3 (the limit Marathon:MaxInstancesPerApp)", error.Details.Single().Errors.Single());
    }

    [Fact]
    public void Ids_stay_short_enough_for_every_name_made_from_them()
    {
        var longId = "/" + string.Join('/', Enumerable.Repeat(new string('a', 60), 4));
        var error = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(JsonNode.Parse($$"""{"id": "{{longId}}", "cmd": "x"}""")));
        Assert.Equal("the id is 244 characters long; the limit is 200 (its task ids must stay within Mesos' 255)", Assert.Single(error.Details, d => d.Path == "/id").Errors.Single());

        var longSegment = new string('a', 64);
        error = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(JsonNode.Parse($$"""{"id": "/{{longSegment}}", "cmd": "x"}""")));
        Assert.Contains("a path segment may have at most 63 (a DNS label)", Assert.Single(error.Details, d => d.Path == "/id").Errors.Single());

        var longest = "/" + string.Join('/', Enumerable.Repeat(new string('b', 63), 3)) + "/" + new string('c', 199 - 192);
        Assert.Equal(200, longest.Length);
        var app = AppReader.ReadOne(JsonNode.Parse($$"""{"id": "{{longest}}", "cmd": "x"}"""));
        Assert.True(MarathonKeys.NewTaskId(app.Id).Length <= OrleansDcos.Mesos.MesosIds.MaxLength);
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
