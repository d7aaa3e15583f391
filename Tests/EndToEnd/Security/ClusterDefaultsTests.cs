using System.Net;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Security;

/// <summary>Login is on by default in cluster mode: a silo started with nothing said about it answers 401 but on its open routes.</summary>
[Trait("Area", "Security")]
public sealed class ClusterDefaultsTests
{
    [RequiresFact(Component.Postgres)]
    public async Task A_cluster_mode_silo_requires_login_unless_told_otherwise()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        await using var silo = await SiloProcess.StartAsync(["--urls", $"http://127.0.0.5:{FreePort.Next()}", "--Silo:Mode=Cluster",
            $"--Silo:PostgresConnectionString={schema.ConnectionString}", "--Security:Insecure=true"]);
        using var http = new HttpClient { BaseAddress = silo.BaseAddress };

        Assert.Equal("pong", await http.GetStringAsync("/ping"));
        foreach (var path in new[] { "/v2/apps", "/master/state", "/v1/scheduler/jobs", "/metrics", "/v1/enumerate", "/dashboard/", "/acs/api/v1/users" })
        {
            using var response = await http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} → {(int)response.StatusCode}");
        }

        await silo.WaitForOutputAsync("Login is on", TimeSpan.FromSeconds(10));
    }
}
