using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Security;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Security;

/// <summary>
/// Agent enrollment with login on, with real node daemon processes: a join token admits a new agent once and hands it
/// a credential it keeps; no token, a bad or used-up token, or another agent's id is refused; a revoked agent is cut off.
/// </summary>
[Trait("Area", "Security")]
public sealed class EnrollmentTests
{
    private const string Password = "admin-password-1";

    [Fact]
    public async Task A_join_token_enrolls_an_agent_once_its_credential_carries_it_after_and_a_revoked_agent_is_cut_off()
    {
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Security:Authentication=true",
            "--Security:BootstrapUser=admin", $"--Security:BootstrapPassword={Password}");
        using var admin = await AcsLogin.AsAsync(new HttpClient { BaseAddress = silo.BaseAddress }, "admin", Password);

        // A daemon without a token, and one with a made-up token, never register.
        using var strayWork = new TempDirectory();
        await using (var stray = await DaemonProcess.StartRefusedAsync(silo.BaseAddress, strayWork.Path, "cpus:1;mem:128;disk:10;ports:[32500-32501]", "--Daemon:Token=made-up.secret"))
        {
            await silo.WaitForOutputAsync("enrollment refused: the join token is not valid", TimeSpan.FromSeconds(30));
            Assert.Empty(await ActiveAgentsAsync(admin));
        }

        var token = await CreateTokenAsync(admin, "rack-1", uses: 1);
        using var work = new TempDirectory();
        string agentId;
        await using (var daemon = await DaemonProcess.StartAsync(silo.BaseAddress, work.Path, "cpus:1;mem:128;disk:10;ports:[32502-32503]", $"--Daemon:Token={token}"))
        {
            agentId = await PollValue.UntilAsync(async () => (await ActiveAgentsAsync(admin)).SingleOrDefault(), TimeSpan.FromSeconds(30), "the agent enrolled");
            var credential = await File.ReadAllTextAsync(Path.Combine(work.Path, "agent.credential"));
            Assert.StartsWith("agent.", credential, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(work.Path, "agent.credential")));
            }

            Assert.DoesNotContain(silo.Output, line => line.Contains(credential[6..], StringComparison.Ordinal) || line.Contains(token.Split('.')[1], StringComparison.Ordinal));
            var listed = (await admin.GetFromJsonAsync<JsonObject>("/acs/api/v1/join-tokens"))!["array"]!.AsArray().Single()!;
            Assert.Equal(0, listed["uses_left"]!.GetValue<int>());
            Assert.Null(listed["token"]);
        }

        // The token is used up, yet the restarted daemon comes back: it presents its credential now.
        await using (var again = await DaemonProcess.StartAsync(silo.BaseAddress, work.Path, "cpus:1;mem:128;disk:10;ports:[32502-32503]", $"--Daemon:Token={token}"))
        {
            await PollValue.UntilAsync(async () => (await ActiveAgentsAsync(admin)).Contains(agentId) ? agentId : null, TimeSpan.FromSeconds(30), "the agent back with its credential");

            // Another daemon with a fresh join token may not take that agent id.
            var second = await CreateTokenAsync(admin, "rack-2", uses: 5);
            using var thiefWork = new TempDirectory();
            await using (var thief = await DaemonProcess.StartRefusedAsync(silo.BaseAddress, thiefWork.Path, "cpus:1;mem:128;disk:10;ports:[32504-32505]", $"--Daemon:Token={second}", $"--Daemon:AgentId={agentId}"))
            {
                await silo.WaitForOutputAsync($"agent id '{agentId}' is enrolled already", TimeSpan.FromSeconds(30));
            }

            // Revoked: its link is closed, it is gone, and it cannot register again.
            using (var revoked = await admin.PostAsync($"/acs/api/v1/agents/{agentId}/revoke", null))
            {
                Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
            }

            await silo.WaitForOutputAsync($"agent '{agentId}' was revoked by an operator", TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(agentId, await ActiveAgentsAsync(admin));
        }
    }

    private static async Task<string> CreateTokenAsync(HttpClient admin, string id, int uses)
    {
        using var created = await admin.PostAsJsonAsync("/acs/api/v1/join-tokens", new { id, uses, expires_in_seconds = 3600 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    private static async Task<List<string>> ActiveAgentsAsync(HttpClient admin) =>
        [.. (await admin.GetFromJsonAsync<JsonObject>("/master/slaves"))!["slaves"]!.AsArray().Where(s => s!["active"]!.GetValue<bool>()).Select(s => s!["id"]!.GetValue<string>())];
}
