using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Marathon;

/// <summary>The /v2 API's answers to bad input, and Marathon's own example definitions.</summary>
[Trait("Area", "Marathon")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MarathonApiTests
{
    [Fact]
    public async Task Bad_input_gets_a_clear_error_with_the_right_status_and_changes_nothing()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));

        var (invalid, details, _) = await api.SendAsync(HttpMethod.Post, "/v2/apps", JsonNode.Parse("""{"id": "/x", "cmd": "sleep 1", "cpus": "many", "mem": -1}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, invalid);
        Assert.Equal("Object is not valid", details!["message"]!.GetValue<string>());
        Assert.Equal(["/cpus", "/mem"], details["details"]!.AsArray().Select(d => d!["path"]!.GetValue<string>()).Order());

        using (var malformed = await api.Http.PostAsync("/v2/apps", new StringContent("{\"id\": ", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Contains("Invalid JSON", JsonNode.Parse(await malformed.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
        }

        using (var huge = await api.Http.PostAsync("/v2/apps", new StringContent($"{{\"id\": \"/big\", \"cmd\": \"{new string('x', 2 * 1024 * 1024)}\"}}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/v2/apps/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, "/v2/apps/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Patch, "/v2/apps/nope", new JsonObject { ["instances"] = 2 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, "/v2/deployments/nope")).Status);
        var (wrongId, _, _) = await api.SendAsync(HttpMethod.Put, "/v2/apps/a", new JsonObject { ["id"] = "/b", ["cmd"] = "sleep 1" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrongId);

        // Nothing was created by any of it.
        Assert.Empty(JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps"))!["apps"]!.AsArray());
        Assert.Empty(await api.DeploymentsAsync());

        var app = new JsonObject { ["id"] = "/exists", ["cmd"] = "sleep 1000", ["cpus"] = 0.01, ["mem"] = 8, ["instances"] = 0 };
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
        var (duplicate, message, _) = await api.SendAsync(HttpMethod.Post, "/v2/apps", app);
        Assert.Equal(HttpStatusCode.Conflict, duplicate);
        Assert.Contains("already exists", message!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_beyond_the_limits_are_refused_and_one_just_under_them_costs_little_memory()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();

        var (huge, hugeBody, _) = await api.SendAsync(HttpMethod.Post, "/v2/apps", JsonNode.Parse("""{"id": "/huge", "cmd": "sleep 100", "cpus": 0.01, "mem": 8, "instances": 1000000000}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, huge);
        Assert.Equal("must be at most 10000 (the limit Marathon:MaxInstancesPerApp)", hugeBody!["details"]![0]!["errors"]![0]!.GetValue<string>());
        var (tooMuch, tooMuchBody, _) = await api.SendAsync(HttpMethod.Post, "/v2/apps", JsonNode.Parse("""{"id": "/mem", "cmd": "sleep 100", "mem": 1e308, "instances": 2147483648}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch);
        Assert.Equal(["/instances", "/mem"], tooMuchBody!["details"]!.AsArray().Select(d => d!["path"]!.GetValue<string>()).Order());

        var (longId, longBody, _) = await api.SendAsync(HttpMethod.Post, "/v2/apps", new JsonObject { ["id"] = "/" + new string('a', 5000), ["cmd"] = "sleep 100" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, longId);
        Assert.Equal("/id", longBody!["details"]![0]!["path"]!.GetValue<string>());
        Assert.Empty(JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps"))!["apps"]!.AsArray());

        // Just under the cap, and far more than the cluster holds: it waits with a reason, and costs counts, not objects.
        var before = silo.ResidentBytes();
        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps",
            JsonNode.Parse("""{"id": "/big", "cmd": "sleep 100", "cpus": 100, "mem": 8, "instances": 10000}"""));
        await Poll.UntilAsync(async () =>
        {
            var queue = JsonNode.Parse(await api.Http.GetStringAsync("/v2/queue"))!["queue"]!.AsArray();
            return queue.Any(q => q!["count"]!.GetValue<int>() == 10000 && q["processedOffersSummary"]!["processedOffersCount"]!.GetValue<int>() >= 3);
        }, TimeSpan.FromSeconds(30), () => "the big app waited through three offers" + api.Diagnostics());
        var blocked = (await api.DeploymentsAsync()).Single()!["currentActions"]![0]!["blockedBy"]!.GetValue<string>();
        Assert.Contains("10000 of 10000 instance(s) could not be placed", blocked);
        Assert.Contains("insufficient cpus", blocked);
        var grown = silo.ResidentBytes() - before;
        Assert.True(grown < 256L * 1024 * 1024, $"the silo grew by {grown / (1024 * 1024)} MiB for an app it cannot place");

        var removed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/v2/apps/big?force=true");
        await api.WaitForDeploymentAsync(removed!["deploymentId"]!.GetValue<string>());
        Assert.NotNull(created);
    }

    [Fact]
    public async Task PUT_merges_a_partial_body_unless_told_not_to_and_bodies_that_are_not_JSON_get_415()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        var app = new JsonObject { ["id"] = "/partial", ["cmd"] = "sleep 1000", ["cpus"] = 0.01, ["mem"] = 8, ["instances"] = 0, ["labels"] = new JsonObject { ["team"] = "core" } };
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);

        // Marathon's PUT merges by default (partialUpdate=true): what the body leaves out stays.
        var changed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/v2/apps/partial", new JsonObject { ["env"] = new JsonObject { ["A"] = "1" } });
        await api.WaitForDeploymentAsync(changed!["deploymentId"]!.GetValue<string>());
        var merged = (await api.AppAsync("/partial"))!;
        Assert.Equal("sleep 1000", merged["cmd"]!.GetValue<string>());
        Assert.Equal("1", merged["env"]!["A"]!.GetValue<string>());
        Assert.Equal("core", merged["labels"]!["team"]!.GetValue<string>());

        // partialUpdate=false: the body is the whole definition.
        var (whole, wholeBody, _) = await api.SendAsync(HttpMethod.Put, "/v2/apps/partial?partialUpdate=false", new JsonObject { ["instances"] = 0 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, whole);
        Assert.Equal("/cmd", wholeBody!["details"]![0]!["path"]!.GetValue<string>());

        // A PUT of an app that does not exist creates it from the body.
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Put, "/v2/apps/fresh", new JsonObject { ["cmd"] = "sleep 1000", ["instances"] = 0, ["mem"] = 8, ["cpus"] = 0.01 });

        foreach (var content in new HttpContent[]
        {
            new StringContent("""{"id": "/plain", "cmd": "sleep 1"}""", Encoding.UTF8, "text/plain"),
            new FormUrlEncodedContent([new("id", "/form"), new("cmd", "sleep 1")]),
            new ByteArrayContent(Encoding.UTF8.GetBytes("""{"id": "/none", "cmd": "sleep 1"}""")),
        })
        {
            using var response = await api.Http.PostAsync("/v2/apps", content);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
            Assert.Contains("send it as application/json", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
        }

        using (var put = await api.Http.PutAsync("/v2/apps/partial", new StringContent("""{"instances": 5}""", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, put.StatusCode);
        }

        using (var charset = await api.Http.PutAsync("/v2/apps/partial", new StringContent("""{"instances": 0}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, charset.StatusCode); // application/json; charset=utf-8
        }

        Assert.Equal(["/fresh", "/partial"], JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps"))!["apps"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Marathons_example_definitions_are_accepted_and_deployed_or_refused_naming_the_unsupported_fields()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        foreach (var (name, node) in MarathonExamples.Definitions())
        {
            // PUT with force: examples share ids (both sleep apps are /sleep), each replaces the one before.
            var group = MarathonExamples.IsGroupDefinition(node);
            var path = group ? $"/v2/groups/{node["id"]!.GetValue<string>().TrimStart('/')}?force=true"
                : node is JsonArray ? "/v2/apps?force=true"
                : $"/v2/apps/{node["id"]!.GetValue<string>().TrimStart('/')}?force=true";
            var (status, body, _) = await api.SendAsync(HttpMethod.Put, path, node);
            if (MarathonExamples.Refused.TryGetValue(name, out var fields))
            {
                Assert.True(status == HttpStatusCode.UnprocessableEntity, $"{name}: {(int)status} {body?.ToJsonString()}");
                Assert.Equal(fields.Order(), body!["details"]!.AsArray().Select(d => d!["path"]!.GetValue<string>()).Order());
                continue;
            }

            Assert.True(status is HttpStatusCode.Created or HttpStatusCode.OK, $"{name}: {(int)status} {body?.ToJsonString()}");

            // Deployed: its deployment exists and is driven (whether its command can run here is the app's business).
            var ids = group ? AppIdsOf(node.AsObject())
                : node is JsonArray array ? array.Select(a => a!["id"]!.GetValue<string>()).ToList()
                : [node!["id"]!.GetValue<string>()];
            foreach (var id in ids)
            {
                Assert.NotNull(await api.AppAsync(id.StartsWith('/') ? id : "/" + id));
            }
        }
    }

    /// <summary>The absolute ids of every app in a group (app ids in a group may be relative to it).</summary>
    private static List<string> AppIdsOf(JsonObject group)
    {
        var groupId = group["id"]!.GetValue<string>().TrimEnd('/');
        return (group["apps"]?.AsArray() ?? []).Select(a => a!["id"]!.GetValue<string>())
            .Select(id => id.StartsWith('/') ? id : $"{groupId}/{id}")
            .Concat((group["groups"]?.AsArray() ?? []).SelectMany(g => AppIdsOf(g!.AsObject())))
            .ToList();
    }
}
