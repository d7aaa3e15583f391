using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Client;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Silo;

/// <summary>The silo host in-process (embedded mode): it starts and answers its basic endpoints.</summary>
[Trait("Area", "Silo")]
public sealed class SiloHostTests(SiloHostTests.Factory factory) : IClassFixture<SiloHostTests.Factory>
{
    /// <summary>The silo with its data directory in a temporary directory.</summary>
    public sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly TempDirectory _data = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.UseSetting("Silo:DataDirectory", _data.Path)
                .UseSetting("Silo:SiloPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("Silo:GatewayPort", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("Discovery:Port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)) // two of these may run side by side
                .UseSetting("Silo:GrainCollectionAge", "00:20:00") // not Orleans' default: its options must come from this setting
                .ConfigureServices(services => services.AddSingleton<IStartupFilter, ThrowingPaths>());

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            _data.Dispose();
        }
    }

    [Fact]
    public async Task Ping_answers_pong()
    {
        using var http = factory.CreateClient();

        Assert.True(await new DcosClient(http).PingAsync());
    }

    [Fact]
    [Trait("Area", "Fidelity")]
    public async Task Info_has_Marathon_1_10s_keys_and_types()
    {
        using var http = factory.CreateClient();

        var info = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/v2/info"))!.AsObject();

        // Marathon's InfoResource: these keys, these JSON types (durations in ms, failover_timeout in s).
        foreach (var (key, kind) in new[] { ("name", "String"), ("version", "String"), ("buildref", "String"), ("elected", "True"), ("leader", "String"), ("frameworkId", "String"),
            ("marathon_config", "Object"), ("zookeeper_config", "Object"), ("http_config", "Object") })
        {
            Assert.True(info.ContainsKey(key), $"{key} missing");
            Assert.Equal(kind, info[key]!.GetValueKind().ToString());
        }

        var config = info["marathon_config"]!.AsObject();
        foreach (var (key, kind) in new[] { ("checkpoint", "True"), ("decline_offer_duration", "Number"), ("executor", "String"), ("failover_timeout", "Number"),
            ("features", "Array"), ("framework_name", "String"), ("ha", "False"), ("hostname", "String"), ("local_port_max", "Number"), ("local_port_min", "Number"),
            ("master", "String"), ("mesos_leader_ui_url", "String"), ("mesos_user", "String"), ("reconciliation_initial_delay", "Number"),
            ("reconciliation_interval", "Number"), ("task_launch_timeout", "Number") })
        {
            Assert.True(config.ContainsKey(key), $"marathon_config.{key} missing");
            Assert.Equal(kind, config[key]!.GetValueKind().ToString());
        }

        var zk = info["zookeeper_config"]!.AsObject();
        foreach (var key in new[] { "zk", "zk_compression", "zk_compression_threshold", "zk_connection_timeout", "zk_max_node_size", "zk_max_versions", "zk_session_timeout", "zk_timeout" })
        {
            Assert.True(zk.ContainsKey(key), $"zookeeper_config.{key} missing");
        }

        Assert.Matches(@"^1\.\d+\.\d+$", info["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Info_names_the_product_version_and_embedded_mode()
    {
        using var http = factory.CreateClient();

        var info = await new DcosClient(http).GetInfoAsync();

        Assert.Equal("marathon", info.Name);
        Assert.Equal("1.10.0", info.Version);
        Assert.Equal("0.1.0", info.ProductVersion);
        Assert.Equal(10000, info.MarathonConfig!.LocalPortMin);
        Assert.Equal(604800, info.MarathonConfig.FailoverTimeout);
        Assert.Equal(50, info.ZookeeperConfig!.MaxVersions);
        Assert.True(info.Elected);
        Assert.Equal("dcos", info.SiloConfig.ClusterId);
        Assert.Equal("Embedded", info.SiloConfig.Mode);
        Assert.Equal("sqlite", info.SiloConfig.Storage);
    }

    [Fact]
    public async Task The_orleans_dashboard_is_served_and_lists_this_silo()
    {
        using var http = factory.CreateClient();

        using var page = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);

        await Poll.UntilAsync(async () =>
        {
            using var silos = await http.GetAsync("/dashboard/DashboardCounters");
            return silos.IsSuccessStatusCode && (await silos.Content.ReadAsStringAsync()).Contains("\"hosts\"", StringComparison.OrdinalIgnoreCase);
        }, TimeSpan.FromSeconds(30), "the dashboard's counters");
    }

    [Fact]
    public async Task An_unknown_route_is_a_json_404()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/v2/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.Equal("not found: GET /v2/nothing-here", error!.Message);
        Assert.Empty(error.Details);
    }

    [Theory]
    [InlineData("silo-gone", HttpStatusCode.ServiceUnavailable)]
    [InlineData("overloaded", HttpStatusCode.ServiceUnavailable)]
    [InlineData("timeout", HttpStatusCode.ServiceUnavailable)]
    [InlineData("bug", HttpStatusCode.InternalServerError)]
    public async Task A_failing_over_cluster_is_a_retryable_503_and_anything_else_a_500_without_details(string failure, HttpStatusCode expected)
    {
        using var http = factory.CreateClient();

        // A change is not repeated by the silo: its outcome is unknown, the caller is told to try again.
        using var response = await http.PostAsync($"/test-throw/{failure}", null);

        Assert.Equal(expected, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        if (expected == HttpStatusCode.ServiceUnavailable)
        {
            Assert.StartsWith("the cluster is failing over, try again: ", error!.Message);
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        }
        else
        {
            Assert.Equal("internal error: see the silo log", error!.Message);
            Assert.DoesNotContain("secret", error.Message);
        }
    }

    [Fact]
    public async Task A_read_that_meets_a_failover_is_asked_again_and_answered()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/test-throw/twice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("answered on attempt 3", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Paths no endpoint serves that throw what a grain call can throw, behind the silo's own error handling.</summary>
    private sealed class ThrowingPaths : IStartupFilter
    {
        private static int _twice;

        private static Task FailTwice(HttpContext context) => Interlocked.Increment(ref _twice) switch
        {
            <= 2 => throw new Orleans.Runtime.SiloUnavailableException("silo 127.0.0.9:1 is gone"),
            var attempt => context.Response.WriteAsync($"answered on attempt {attempt}"),
        };

        private static Task NotFound(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path.Value switch
            {
                "/test-throw/silo-gone" => throw new Orleans.Runtime.SiloUnavailableException("silo 127.0.0.9:1 is gone"),
                "/test-throw/overloaded" => throw new Orleans.Runtime.GatewayTooBusyException(),
                "/test-throw/timeout" => throw new TimeoutException("no answer within 30 s"),
                "/test-throw/bug" => throw new InvalidOperationException("a secret detail"),
                "/test-throw/twice" => FailTwice(context),
                _ => NotFound(context),
            });
        };
    }

    [Fact]
    public void The_grain_collection_age_setting_reaches_Orleans()
    {
        var collection = factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Orleans.Configuration.GrainCollectionOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(20), collection.CollectionAge);
        Assert.Equal(TimeSpan.FromMinutes(1), collection.CollectionQuantum);
    }

    [Fact]
    public async Task The_client_surfaces_errors_with_their_message()
    {
        using var http = factory.CreateClient();
        http.BaseAddress = new Uri(http.BaseAddress!, "/nowhere/");

        var ex = await Assert.ThrowsAsync<DcosApiException>(() => new DcosClient(http).PingAsync());

        Assert.Equal(HttpStatusCode.NotFound, ex.Status);
        Assert.Equal("not found: GET /nowhere/ping", ex.Error.Message);
    }
}
