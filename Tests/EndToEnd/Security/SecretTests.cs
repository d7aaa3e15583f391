using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using OrleansDcos.Tests.Support.Security;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Security;

/// <summary>
/// A secret from the store reaches a Marathon task's environment — and appears in no API answer, no log line and no file
/// of the agent; deploying it needs the permission to read it; a task whose secret was deleted fails saying which.
/// </summary>
[Trait("Area", "Security")]
public sealed class SecretTests
{
    private const string Password = "admin-password-1";
    private const string Value = "s3cr3t-Va1ue-7f9c2e";

    [Fact]
    public async Task A_secret_reaches_the_tasks_environment_and_nothing_else()
    {
        await using var silo = await SiloProcess.StartAsync("--Security:Authentication=true", "--Security:BootstrapUser=admin", $"--Security:BootstrapPassword={Password}");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        await AcsLogin.AsAsync(api.Http, "admin", Password);
        await api.WaitForAgentsAsync(1);

        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Put, "/secrets/v1/secret/default/team-a/db", new JsonObject { ["value"] = Value });
        await api.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Put, "/secrets/v1/secret/default/team-a/db", new JsonObject { ["value"] = "other" });

        JsonObject App() => new()
        {
            ["id"] = "/team-a/db-client",
            ["cmd"] = "printf %s \"$DB_PASSWORD\" | sha256sum; exec sleep 600",
            ["cpus"] = 0.1,
            ["mem"] = 16,
            ["env"] = new JsonObject { ["DB_PASSWORD"] = new JsonObject { ["secret"] = "db" } },
            ["secrets"] = new JsonObject { ["db"] = new JsonObject { ["source"] = "/team-a/db" } },
        };

        // Deploying it needs to read the secret: a team member without that grant is refused.
        using (var member = new MarathonApi(silo.BaseAddress))
        {
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Put, "/acs/api/v1/users/dev", new JsonObject { ["password"] = "dev-password-1" });
            await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/acs/api/v1/acls/{Uri.EscapeDataString("marathon:app:/team-a/*")}/users/dev/full");
            await AcsLogin.AsAsync(member.Http, "dev", "dev-password-1");
            var refused = await member.SendAsync(HttpMethod.Post, "/v2/apps", App());
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Contains("secrets:secret:team-a/db read", refused.Body!.ToJsonString(), StringComparison.Ordinal);
        }

        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", App());
        await api.WaitForTasksAsync("/team-a/db-client", 1);
        var taskId = MarathonApi.Ids(await api.TasksAsync("/team-a/db-client")).Single();
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Value)));
        var seen = await PollValue.UntilAsync(async () =>
        {
            var chunk = JsonNode.Parse(await api.Http.GetStringAsync($"/api/v1/tasks/{taskId}/logs/stdout"))!;
            return chunk["data"]!.GetValue<string>() is { Length: > 0 } line ? line.Split(' ')[0] : null;
        }, TimeSpan.FromSeconds(30), "the task's digest of its secret");
        Assert.Equal(expected, seen);

        // A Chronos job's run gets it too, from {"name", "secret"} among its environment variables.
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Post, "/v1/scheduler/iso8601", new JsonObject
        {
            ["name"] = "db-job",
            ["command"] = "printf %s \"$DB_PASSWORD\" | sha256sum",
            ["schedule"] = "R/2030-01-01T00:00:00Z/PT24H",
            ["owner"] = "ops@example.com",
            ["cpus"] = 0.1,
            ["mem"] = 16,
            ["environmentVariables"] = new JsonArray(new JsonObject { ["name"] = "DB_PASSWORD", ["secret"] = "team-a/db" }),
        });
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, "/v1/scheduler/job/db-job");
        var run = await PollValue.UntilAsync(async () =>
            JsonNode.Parse(await api.Http.GetStringAsync("/v1/scheduler/job/db-job/runs"))!["runs"]!.AsArray().FirstOrDefault(r => r!["state"]!.GetValue<string>() == "succeeded"),
            TimeSpan.FromSeconds(60), "the job's run to succeed");
        var logs = $"/api/v1/tasks/{Uri.EscapeDataString(run["taskId"]!.GetValue<string>())}/logs/stdout?agentId={run["agentId"]!.GetValue<string>()}";
        var jobDigest = JsonNode.Parse(await api.Http.GetStringAsync(logs))!["data"]!.GetValue<string>().Split(' ')[0];
        Assert.Equal(expected, jobDigest);

        // Nowhere else: not in the API's answers, the silo's log (its embedded agent's too), or the agent's files.
        foreach (var path in new[] { "/v2/apps?embed=apps.tasks", "/v2/apps/team-a/db-client", "/v2/apps/team-a/db-client/versions", "/v2/tasks", "/v2/groups?embed=group.apps",
            "/master/state", "/master/tasks", "/secrets/v1/secret/default/team-a/db", "/secrets/v1/secret/default/?list=true", "/acs/api/v1/audit?limit=1000", "/v2/queue", "/v1/scheduler/jobs", "/v1/scheduler/job/db-job", "/v1/scheduler/job/db-job/runs" })
        {
            var answer = await api.Http.GetStringAsync(path);
            Assert.DoesNotContain(Value, answer, StringComparison.Ordinal);
        }

        Assert.Contains("team-a/db", await api.Http.GetStringAsync("/secrets/v1/secret/default/?list=true"), StringComparison.Ordinal);
        Assert.DoesNotContain(silo.Output, line => line.Contains(Value, StringComparison.Ordinal));
        foreach (var file in Directory.EnumerateFiles(silo.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/sandboxes/", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(Value, await ReadSharedAsync(file), StringComparison.Ordinal);
        }

        // Deleted, the secret is missing for the next task: it fails saying which, and is not started without it.
        await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Delete, "/secrets/v1/secret/default/team-a/db");
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/v2/apps/team-a/db-client/restart");
        await Poll.UntilAsync(async () => (await api.AppAsync("/team-a/db-client") is { } app && app["lastTaskFailure"]?["message"]?.GetValue<string>() is { } message
            && message.Contains("secret store has no /team-a/db", StringComparison.Ordinal)), TimeSpan.FromSeconds(60), "a task failing for its deleted secret");
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync();
    }
}
