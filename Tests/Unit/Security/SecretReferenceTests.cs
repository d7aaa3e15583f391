using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Scheduling.Security;
using Xunit;

namespace OrleansDcos.Tests.Unit.Security;

/// <summary>Marathon apps' secrets: read, checked, written back as Marathon writes them, and kept apart from the plain environment.</summary>
[Trait("Area", "Security")]
public sealed class SecretReferenceTests
{
    private static JsonNode App(JsonObject env, JsonObject? secrets) => new JsonObject
    {
        ["id"] = "/a",
        ["cmd"] = "true",
        ["env"] = env,
        ["secrets"] = secrets,
    };

    [Fact]
    public void An_env_secret_reference_round_trips_and_never_becomes_a_plain_value()
    {
        var app = AppReader.ReadOne(App(new JsonObject { ["PLAIN"] = "x", ["DB"] = new JsonObject { ["secret"] = "db" } }, new JsonObject { ["db"] = new JsonObject { ["source"] = "/team/db" } }));

        Assert.Equal("x", app.Env["PLAIN"]);
        Assert.Equal("db", EnvJsonConverter.SecretNameOf(app.Env["DB"]));
        Assert.Equal("/team/db", app.Secrets!["db"]);
        var json = JsonSerializer.SerializeToNode(app)!;
        Assert.Equal("db", json["env"]!["DB"]!["secret"]!.GetValue<string>());
        Assert.Equal("/team/db", json["secrets"]!["db"]!["source"]!.GetValue<string>());
        Assert.Equal(app.Env["DB"], JsonSerializer.Deserialize<AppDefinition>(json.ToJsonString())!.Env["DB"]);

        var task = OrleansDcos.Grains.Marathon.Scheduler.MarathonSchedulerGrain.TaskOf(Instance(), app, TimeSpan.Zero, new Dictionary<string, string> { ["/team/db"] = "v" });
        Assert.Equal("v", task.Secrets!["DB"]);
        Assert.False(task.Command!.Environment!.ContainsKey("DB"));
        Assert.Null(task.WithoutSecrets().Secrets);
        var missing = OrleansDcos.Grains.Marathon.Scheduler.MarathonSchedulerGrain.TaskOf(Instance(), app, TimeSpan.Zero, null);
        Assert.Equal(["/team/db"], missing.MissingSecrets!);
        Assert.Null(missing.Secrets);
    }

    [Theory]
    [InlineData("""{"DB": {"secret": "other"}}""", """{"db": {"source": "/team/db"}}""", "/env/DB")]
    [InlineData("""{"DB": {"secret": "db"}}""", """{"db": {"source": "../up"}}""", "/secrets/db/source")]
    [InlineData("""{"DB": {"secret": "db"}}""", """{"db": "/team/db"}""", "/secrets/db")]
    [InlineData("""{"DB": "a\u0000b"}""", null, "/env/DB")]
    [InlineData("""{"DB": {"secret": 1}}""", null, "/env/DB")]
    public void Bad_secret_references_are_refused_naming_the_field(string env, string? secrets, string field)
    {
        var ex = Assert.Throws<MarathonValidationException>(() => AppReader.ReadOne(App(JsonNode.Parse(env)!.AsObject(), secrets is null ? null : JsonNode.Parse(secrets)!.AsObject())));

        Assert.Contains(ex.Details, d => d.Path == field);
    }

    [Theory]
    [InlineData("/team/db", "team/db")]
    [InlineData("a.b_c-d/e", "a.b_c-d/e")]
    [InlineData("", null)]
    [InlineData("a//b", null)]
    [InlineData("a/../b", null)]
    [InlineData("a/b c", null)]
    public void Secret_paths_are_normalized_or_refused(string path, string? expected) =>
        Assert.Equal(expected, SecretPaths.Normalize(path, out _));

    private static InstanceRecord Instance() =>
        new("a.1", "/a", "agent", "h", [], [], "v", "c", "t", null, OrleansDcos.Mesos.TaskState.TASK_STAGING, null, false, "", OrleansDcos.Scheduling.Resources.Resources.Empty, "*");
}
