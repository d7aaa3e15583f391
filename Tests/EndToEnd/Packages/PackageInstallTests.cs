using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Packages;

/// <summary>The package service (Cosmos' API) of a silo process, with the project's repository as its default.</summary>
[Trait("Area", "Packages")]
public sealed class PackageInstallTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_package_installs_with_options_serves_installs_twice_lists_its_options_and_uninstalls()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        var options = JsonNode.Parse("""{"service": {"greeting": "Hello \"packages\" & <friends>", "instances": 1}}""")!.AsObject();

        // Render shows exactly what install deploys.
        var rendered = (await CosmosAsync(api, "render", new JsonObject { ["packageName"] = "hello-web", ["options"] = options.DeepClone() }))["marathonJson"]!.AsObject();
        var installed = await CosmosAsync(api, "install", new JsonObject { ["packageName"] = "hello-web", ["options"] = options.DeepClone() });
        Assert.Equal("/hello-web", installed["appId"]!.GetValue<string>());
        Assert.Equal("1.0.0", installed["packageVersion"]!.GetValue<string>());
        var app = (await api.AppAsync("/hello-web"))!;
        foreach (var field in new[] { "cmd", "instances", "cpus", "mem", "env", "labels", "requirePorts" })
        {
            Assert.True(JsonNode.DeepEquals(rendered[field], app[field]), $"{field}: rendered {rendered[field]?.ToJsonString()}, deployed {app[field]?.ToJsonString()}");
        }

        // It serves the greeting it was given.
        await api.WaitForTasksAsync("/hello-web", 1);
        var task = (await api.TasksAsync("/hello-web"))[0]!;
        using var http = new HttpClient();
        var page = await PollValue.UntilAsync(async () =>
        {
            try
            {
                return await http.GetStringAsync($"http://127.0.0.1:{task["ports"]![0]}/");
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, Fresh, () => "hello-web answering" + api.Diagnostics());
        Assert.Equal("Hello \"packages\" & <friends>\n", page);

        // Twice, under another app id; the list shows both with the options they were installed with.
        await CosmosAsync(api, "install", new JsonObject { ["packageName"] = "hello-web", ["appId"] = "/second-web", ["options"] = new JsonObject { ["service"] = new JsonObject { ["greeting"] = "two" } } });
        var list = (await CosmosAsync(api, "list", new JsonObject { ["packageName"] = "hello-web" }))["packages"]!.AsArray();
        Assert.Equal(["/hello-web", "/second-web"], list.Select(p => p!["appId"]!.GetValue<string>()));
        Assert.All(list, p => Assert.Equal(("hello-web", "1.0.0"), (p!["packageInformation"]!["packageDefinition"]!["name"]!.GetValue<string>(), p["packageVersion"]!.GetValue<string>())));
        Assert.Equal("two", list[1]!["options"]!["service"]!["greeting"]!.GetValue<string>());
        Assert.Equal("Hello \"packages\" & <friends>", list[0]!["options"]!["service"]!["greeting"]!.GetValue<string>());

        // Installing over an installed app id is refused; uninstall asks which when there are several.
        Assert.Equal("PackageAlreadyInstalled", (await CosmosErrorAsync(api, "install", new JsonObject { ["packageName"] = "hello-web" }, HttpStatusCode.Conflict))["type"]!.GetValue<string>());
        Assert.Equal("AmbiguousAppId", (await CosmosErrorAsync(api, "uninstall", new JsonObject { ["packageName"] = "hello-web" }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());
        var removed = await CosmosAsync(api, "uninstall", new JsonObject { ["packageName"] = "hello-web", ["appId"] = "/second-web" });
        Assert.Equal("/second-web", removed["results"]![0]!["appId"]!.GetValue<string>());
        Assert.Equal("hello-web is gone.", removed["results"]![0]!["postUninstallNotes"]!.GetValue<string>());
        await CosmosAsync(api, "uninstall", new JsonObject { ["packageName"] = "hello-web", ["all"] = true });
        Assert.Empty((await CosmosAsync(api, "list", new JsonObject()))["packages"]!.AsArray());
        Assert.Equal("PackageNotInstalled", (await CosmosErrorAsync(api, "uninstall", new JsonObject { ["packageName"] = "hello-web" }, HttpStatusCode.NotFound))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_options_name_each_path_and_repositories_are_added_searched_and_reported_when_unreadable()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));

        // kv-demo's schema: a type, an enum, a required field and an additional property, each named by its path.
        var error = await CosmosErrorAsync(api, "install", new JsonObject
        {
            ["packageName"] = "kv-demo",
            ["options"] = JsonNode.Parse("""{"service": {"instances": "two"}, "storage": {"mode": "tape"}, "colour": "red"}"""),
        }, HttpStatusCode.BadRequest);
        Assert.Equal("JsonSchemaMismatch", error["type"]!.GetValue<string>());
        var paths = error["data"]!["errors"]!.AsArray().Select(e => (Path: e!["path"]!.GetValue<string>(), Message: e["message"]!.GetValue<string>())).ToList();
        Assert.Contains(paths, e => e.Path == "/service/instances" && e.Message.StartsWith("type", StringComparison.Ordinal));
        Assert.Contains(paths, e => e.Path == "/storage/mode" && e.Message.StartsWith("enum", StringComparison.Ordinal));
        Assert.Contains(paths, e => e.Path == "/admin" && e.Message.StartsWith("required", StringComparison.Ordinal));
        Assert.Contains(paths, e => e.Path == "/colour" && e.Message.StartsWith("additionalProperties", StringComparison.Ordinal));
        Assert.Empty(JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps"))!["apps"]!.AsArray()); // nothing deployed
        Assert.Equal("PackageNotFound", (await CosmosErrorAsync(api, "describe", new JsonObject { ["packageName"] = "nope" }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());
        Assert.Equal("VersionNotFound", (await CosmosErrorAsync(api, "describe", new JsonObject { ["packageName"] = "kv-demo", ["packageVersion"] = "9" }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());

        // A repository served over HTTP is added and searched; an unreadable one is reported while the others serve.
        var template = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"id": "/{{service.name}}", "cmd": "sleep 600", "cpus": 0.05, "mem": 16}"""));
        var repository = """
            {"packages": [{"packagingVersion": "3.0", "name": "remote-sleeper", "version": "0.9", "releaseVersion": 2, "description": "sleeps",
              "tags": ["remote"], "config": {"type": "object", "properties": {"service": {"type": "object", "properties": {"name": {"type": "string", "default": "remote-sleeper"}}}}},
              "marathon": {"v2AppMustacheTemplate": "TEMPLATE"}}]}
            """.Replace("TEMPLATE", template, StringComparison.Ordinal);
        using var server = new RepositoryServer(repository);
        var unreadable = $"http://127.0.0.1:{FreePort.Next()}/repo.json";
        await CosmosAsync(api, "repository/add", new JsonObject { ["name"] = "remote", ["uri"] = server.Uri.ToString() });
        var repositories = (await CosmosAsync(api, "repository/add", new JsonObject { ["name"] = "broken", ["uri"] = unreadable, ["index"] = 0 }))["repositories"]!.AsArray();
        Assert.Equal(["broken", "local", "remote"], repositories.Select(r => r!["name"]!.GetValue<string>()));

        var search = await CosmosAsync(api, "search", new JsonObject { ["query"] = "remote" });
        Assert.Equal("remote-sleeper", Assert.Single(search["packages"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Contains(search["repositoryErrors"]!.AsArray(), e => e!.GetValue<string>().Contains("broken", StringComparison.Ordinal));
        Assert.Equal(2, (await CosmosAsync(api, "describe", new JsonObject { ["packageName"] = "remote-sleeper" }))["package"]!["releaseVersion"]!.GetValue<int>());
        Assert.Contains((await CosmosAsync(api, "search", new JsonObject()))["packages"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "hello-web");

        Assert.Equal("RepositoryAlreadyPresent", (await CosmosErrorAsync(api, "repository/add", new JsonObject { ["name"] = "remote", ["uri"] = server.Uri.ToString() }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());
        Assert.Equal("RepositoryUriSyntax", (await CosmosErrorAsync(api, "repository/add", new JsonObject { ["name"] = "odd", ["uri"] = "ftp://x" }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());
        var left = (await CosmosAsync(api, "repository/delete", new JsonObject { ["name"] = "broken" }))["repositories"]!.AsArray();
        Assert.Equal(["local", "remote"], left.Select(r => r!["name"]!.GetValue<string>()));
        Assert.Null((await CosmosAsync(api, "search", new JsonObject()))["repositoryErrors"]);
    }

    [Fact]
    public async Task An_installed_package_moves_between_the_versions_its_releases_allow_keeping_its_options()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        var installed = await CosmosAsync(api, "install", new JsonObject
        {
            ["packageName"] = "kv-demo",
            ["packageVersion"] = "0.2.0",
            ["options"] = JsonNode.Parse("""{"service": {"name": "kv-up"}, "storage": {"mode": "disk"}}"""),
        });
        await api.WaitForDeploymentAsync(installed["deploymentId"]!.GetValue<string>()); // an app being deployed is locked, as in Marathon
        var described = await CosmosAsync(api, "/cosmos/service/describe", new JsonObject { ["appId"] = "/kv-up" });
        Assert.Equal(["0.3.0"], described["upgradesTo"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("disk", described["resolvedOptions"]!["storage"]!["mode"]!.GetValue<string>());

        // 0.3.0 needs an admin: the update says so by path, and deploys nothing.
        var refused = await CosmosErrorAsync(api, "/cosmos/service/update", new JsonObject { ["appId"] = "/kv-up", ["packageVersion"] = "0.3.0" }, HttpStatusCode.BadRequest);
        Assert.Contains(refused["data"]!["errors"]!.AsArray(), e => e!["path"]!.GetValue<string>() == "/admin");
        var updated = await CosmosAsync(api, "/cosmos/service/update", new JsonObject
        {
            ["appId"] = "/kv-up",
            ["packageVersion"] = "0.3.0",
            ["options"] = JsonNode.Parse("""{"admin": {"email": "ops@example.org"}}"""),
        });
        await api.WaitForDeploymentAsync(updated["marathonDeploymentId"]!.GetValue<string>());
        var app = (await api.AppAsync("/kv-up"))!;
        Assert.Equal("0.3.0", app["labels"]![Scheduling.Packages.PackageRenderer.VersionLabel]!.GetValue<string>());
        Assert.Equal("ops@example.org", app["env"]!["ADMIN_EMAIL"]!.GetValue<string>());
        Assert.Equal("disk", app["env"]!["STORAGE_MODE"]!.GetValue<string>()); // the options it was installed with, kept

        // Back to 0.2.0: its schema has no admin, so the kept options are refused unless replaced.
        var back = await CosmosErrorAsync(api, "/cosmos/service/update", new JsonObject { ["appId"] = "/kv-up", ["packageVersion"] = "0.2.0" }, HttpStatusCode.BadRequest);
        Assert.Contains(back["data"]!["errors"]!.AsArray(), e => e!["path"]!.GetValue<string>() == "/admin");
        var downgraded = await CosmosAsync(api, "/cosmos/service/update", new JsonObject
        {
            ["appId"] = "/kv-up",
            ["packageVersion"] = "0.2.0",
            ["replace"] = true,
            ["options"] = JsonNode.Parse("""{"service": {"name": "kv-up"}}"""),
        });
        await api.WaitForDeploymentAsync(downgraded["marathonDeploymentId"]!.GetValue<string>());
        Assert.Equal("0.2.0", (await api.AppAsync("/kv-up"))!["labels"]![Scheduling.Packages.PackageRenderer.VersionLabel]!.GetValue<string>());
        Assert.Equal("memory", (await api.AppAsync("/kv-up"))!["env"]!["STORAGE_MODE"]!.GetValue<string>()); // replaced: the defaults again

        Assert.Equal("VersionNotFound", (await CosmosErrorAsync(api, "/cosmos/service/update", new JsonObject { ["appId"] = "/kv-up", ["packageVersion"] = "7.0.0" }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());
        Assert.Equal("ServiceNotFound", (await CosmosErrorAsync(api, "/cosmos/service/update", new JsonObject { ["appId"] = "/nothing" }, HttpStatusCode.NotFound))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_package_that_renders_a_group_installs_lists_and_uninstalls_as_one()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();

        var installed = await CosmosAsync(api, "install", new JsonObject { ["packageName"] = "web-pair", ["options"] = JsonNode.Parse("""{"service": {"name": "pair"}}""") });
        Assert.Equal("/pair", installed["appId"]!.GetValue<string>());
        await api.WaitForTasksAsync("/pair/web", 1);
        await api.WaitForTasksAsync("/pair/worker", 1); // after the web server: its dependency
        var entry = Assert.Single((await CosmosAsync(api, "list", new JsonObject()))["packages"]!.AsArray())!;
        Assert.Equal("/pair", entry["appId"]!.GetValue<string>());
        Assert.Equal(["/pair/web", "/pair/worker"], entry["apps"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("web-pair", (await api.AppAsync("/pair/worker"))!["labels"]![Scheduling.Packages.PackageRenderer.NameLabel]!.GetValue<string>());
        Assert.Equal("PackageError", (await CosmosErrorAsync(api, "install", new JsonObject { ["packageName"] = "web-pair", ["appId"] = "/other" }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());
        Assert.Equal("PackageAlreadyInstalled", (await CosmosErrorAsync(api, "install", new JsonObject { ["packageName"] = "web-pair", ["options"] = JsonNode.Parse("""{"service": {"name": "pair"}}""") }, HttpStatusCode.Conflict))["type"]!.GetValue<string>());
        Assert.Equal("ServiceUpdateNotSupported", (await CosmosErrorAsync(api, "/cosmos/service/update", new JsonObject { ["appId"] = "/pair" }, HttpStatusCode.BadRequest))["type"]!.GetValue<string>());

        var removed = await CosmosAsync(api, "uninstall", new JsonObject { ["packageName"] = "web-pair" });
        Assert.Equal("/pair", Assert.Single(removed["results"]!.AsArray())!["appId"]!.GetValue<string>());
        await PollValue.UntilAsync(async () => (await api.SendAsync(HttpMethod.Get, "/v2/groups/pair")).Status == HttpStatusCode.NotFound ? (object)true : null,
            Fresh, () => "the group gone" + api.Diagnostics());
        Assert.Empty((await CosmosAsync(api, "list", new JsonObject()))["packages"]!.AsArray());
    }

    [Fact]
    public async Task A_job_package_schedules_a_labelled_job_that_runs_and_is_listed_and_uninstalled()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        var options = JsonNode.Parse("""{"job": {"name": "report-a", "message": "from a package"}}""")!.AsObject();

        var rendered = (await CosmosAsync(api, "render", new JsonObject { ["packageName"] = "nightly-report", ["options"] = options.DeepClone() }))["chronosJson"]!;
        Assert.Equal("report-a", rendered["name"]!.GetValue<string>());
        var installed = await CosmosAsync(api, "install", new JsonObject { ["packageName"] = "nightly-report", ["options"] = options.DeepClone() });
        Assert.Equal("report-a", installed["jobName"]!.GetValue<string>());
        using var chronos = new Support.Jobs.ChronosApi(silo.BaseAddress, () => silo.OutputTail(80));
        var job = await chronos.JobAsync("report-a");
        Assert.Equal("nightly-report", job["labels"]![Scheduling.Packages.PackageRenderer.NameLabel]!.GetValue<string>());
        Assert.Equal("R/2030-01-01T02:00:00Z/P1D", job["schedule"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await chronos.SendAsync(HttpMethod.Put, "/job/report-a")).Status);
        await chronos.WaitForRunsAsync("report-a", "succeeded", 1);
        var entry = Assert.Single((await CosmosAsync(api, "list", new JsonObject { ["packageName"] = "nightly-report" }))["packages"]!.AsArray())!;
        Assert.Equal("report-a", entry["jobName"]!.GetValue<string>());
        Assert.Equal("from a package", entry["options"]!["job"]!["message"]!.GetValue<string>());
        Assert.Equal("PackageAlreadyInstalled", (await CosmosErrorAsync(api, "install", new JsonObject { ["packageName"] = "nightly-report", ["options"] = options.DeepClone() }, HttpStatusCode.Conflict))["type"]!.GetValue<string>());

        await CosmosAsync(api, "uninstall", new JsonObject { ["packageName"] = "nightly-report" });
        Assert.Equal(HttpStatusCode.NotFound, (await chronos.SendAsync(HttpMethod.Get, "/job/report-a")).Status);
        Assert.Empty((await CosmosAsync(api, "list", new JsonObject()))["packages"]!.AsArray());
    }

    private static async Task<JsonObject> CosmosAsync(MarathonApi api, string call, JsonObject request)
    {
        // Cosmos' own media types for /package calls; a DC/OS /cosmos/service call is given whole.
        var absolute = call.StartsWith('/');
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, absolute ? "application/json" : $"application/vnd.dcos.package.{call.Replace('/', '.')}-request+json");
        using var response = await api.Http.PostAsync(absolute ? call : "/package/" + call, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {(absolute ? call : "/package/" + call)}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<JsonObject> CosmosErrorAsync(MarathonApi api, string call, JsonObject request, HttpStatusCode expected)
    {
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await api.Http.PostAsync(call.StartsWith('/') ? call : "/package/" + call, content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST /package/{call}: {(int)response.StatusCode} {body}");
        var error = JsonNode.Parse(body)!.AsObject();
        Assert.NotNull(error["message"]);
        return error;
    }

    /// <summary>A repository JSON document served over HTTP on 127.0.0.1.</summary>
    private sealed class RepositoryServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly byte[] _body;

        public RepositoryServer(string json)
        {
            _body = Encoding.UTF8.GetBytes(json);
            var port = FreePort.Next();
            Uri = new Uri($"http://127.0.0.1:{port}/repo.json");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = ServeAsync();
        }

        public Uri Uri { get; }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(_body);
                context.Response.Close();
            }
        }
    }
}
