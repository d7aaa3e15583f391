using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Balancing;
using OrleansDcos.Tests.Support.Marathon;
using OrleansDcos.Tests.Support.Security;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Security;

/// <summary>The load balancer against a silo with login on: it logs in as its service account and follows the cluster.</summary>
[Trait("Area", "Security")]
public sealed class LoadBalancerLoginTests
{
    [RequiresFact(Component.Haproxy)]
    public async Task The_load_balancer_logs_in_as_its_service_account_and_balances_what_it_may_read()
    {
        const string password = "admin-password-1";
        await using var silo = await SiloProcess.StartAsync("--Security:Authentication=true", "--Security:BootstrapUser=admin", $"--Security:BootstrapPassword={password}");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(60));
        await AcsLogin.AsAsync(api.Http, "admin", password);
        await api.WaitForAgentsAsync(1);

        using var keys = new TempDirectory();
        using var key = RSA.Create(2048);
        var keyFile = Path.Combine(keys.Path, "lb.key");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Put, "/acs/api/v1/users/marathon-lb", new JsonObject { ["public_key"] = key.ExportSubjectPublicKeyInfoPem() });
        foreach (var resource in new[] { "lb:config", "marathon:app:/*" })
        {
            await api.ExpectAsync(HttpStatusCode.NoContent, HttpMethod.Put, $"/acs/api/v1/acls/{Uri.EscapeDataString(resource)}/users/marathon-lb/read");
        }

        await using var lb = await LoadBalancerProcess.StartAsync([silo.BaseAddress], "external", "--LoadBalancer:ServiceAccount=marathon-lb", $"--LoadBalancer:PrivateKeyFile={keyFile}");
        var servicePort = FreePort.Next();
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", new JsonObject
        {
            ["id"] = "/edge/web",
            ["cmd"] = "mkdir -p www && echo hello > www/index.html && exec busybox httpd -f -p 127.0.0.1:$PORT0 -h www",
            ["cpus"] = 0.05,
            ["mem"] = 16,
            ["labels"] = new JsonObject { ["HAPROXY_GROUP"] = "external" },
            ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = servicePort, ["protocol"] = "tcp" }),
        });
        await api.WaitForTasksAsync("/edge/web", 1);

        // Told by the event bus it follows with its token, it fetched the new configuration with it too.
        await Poll.UntilAsync(() => Task.FromResult(lb.RunningConfig.Contains($"frontend edge_web_{servicePort}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(60), () => $"the app's frontend in haproxy.cfg\n{lb.OutputTail()}");
        await PollValue.UntilAsync(async () => (await Curl.GetAsync($"http://127.0.0.1:{servicePort}/")) is (0, var body) ? body : null, TimeSpan.FromSeconds(30), "the app through haproxy");
        Assert.DoesNotContain(lb.Output, line => line.Contains(" 401 ", StringComparison.Ordinal));
    }
}
