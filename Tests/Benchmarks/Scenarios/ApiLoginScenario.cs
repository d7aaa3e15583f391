using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Benchmarks.Harness;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Security;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>
/// api-login: what login costs a request — GET /v2/apps (100 apps) and GET /v2/info on a silo without login and on one
/// with it (a superuser's token, and a user whose listing is filtered to a tenth), and the time of a login (its slow hash).
/// </summary>
internal sealed class ApiLoginScenario : IScenario
{
    private const string Password = "bench-password-1";

    public string Name => "api-login";

    public string Description => "GET /v2/apps and /v2/info p50/p99 ms without and with login; a login's ms";

    public async Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken)
    {
        var rounds = small ? 300 : 3_000;
        var result = new ScenarioResult().Add("rounds", rounds);
        await using (var open = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false"))
        {
            using var http = new HttpClient { BaseAddress = open.BaseAddress };
            await DeployAsync(http, cancellationToken);
            var (apps50, apps99) = await GetLatency.MeasureAsync(http, "/v2/apps", rounds, warmUp: 20, cancellationToken);
            var (info50, info99) = await GetLatency.MeasureAsync(http, "/v2/info", rounds, warmUp: 20, cancellationToken);
            result.Add("off_apps_p50_ms", apps50, 2).Add("off_apps_p99_ms", apps99, 2).Add("off_info_p50_ms", info50, 2).Add("off_info_p99_ms", info99, 2);
        }

        await using var secured = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Security:Authentication=true", "--Security:RequestsPerSecond=0",
            "--Security:BootstrapUser=admin", $"--Security:BootstrapPassword={Password}");
        using var admin = await AcsLogin.AsAsync(new HttpClient { BaseAddress = secured.BaseAddress }, "admin", Password);
        await DeployAsync(admin, cancellationToken);
        using (var created = await admin.PutAsJsonAsync("/acs/api/v1/users/tenant", new { password = Password }, cancellationToken))
        {
            created.EnsureSuccessStatusCode();
        }

        (await admin.PutAsync($"/acs/api/v1/acls/{Uri.EscapeDataString("marathon:app:/bench/g0/*")}/users/tenant/read", null, cancellationToken)).EnsureSuccessStatusCode();
        var login = Stopwatch.StartNew();
        using var tenant = await AcsLogin.AsAsync(new HttpClient { BaseAddress = secured.BaseAddress }, "tenant", Password);
        var loginMs = login.Elapsed.TotalMilliseconds;
        var (sApps50, sApps99) = await GetLatency.MeasureAsync(admin, "/v2/apps", rounds, warmUp: 20, cancellationToken);
        var (sInfo50, sInfo99) = await GetLatency.MeasureAsync(admin, "/v2/info", rounds, warmUp: 20, cancellationToken);
        var (tApps50, tApps99) = await GetLatency.MeasureAsync(tenant, "/v2/apps", rounds, warmUp: 20, cancellationToken);
        return result
            .Add("on_apps_p50_ms", sApps50, 2).Add("on_apps_p99_ms", sApps99, 2).Add("on_info_p50_ms", sInfo50, 2).Add("on_info_p99_ms", sInfo99, 2)
            .Add("tenant_apps_p50_ms", tApps50, 2).Add("tenant_apps_p99_ms", tApps99, 2).Add("login_ms", loginMs, 0);
    }

    private static async Task DeployAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var apps = new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode)new JsonObject
        {
            ["id"] = $"/bench/g{i / 10}/app{i}",
            ["cmd"] = "sleep 600",
            ["cpus"] = 0.01,
            ["mem"] = 8,
            ["instances"] = 0,
        })]);
        using var created = await http.PutAsJsonAsync("/v2/apps", apps, cancellationToken);
        created.EnsureSuccessStatusCode();
    }
}
