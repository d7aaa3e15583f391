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
