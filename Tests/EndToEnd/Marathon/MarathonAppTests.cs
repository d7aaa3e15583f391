using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Marathon;

/// <summary>Marathon apps through the embedded silo: real node daemon, real processes, real health checks.</summary>
[Trait("Area", "Marathon")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MarathonAppTests
{
    [Fact]
    public async Task A_busybox_httpd_app_turns_healthy_serves_scales_1_5_2_replaces_a_killed_task_and_is_removed()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        const string id = "/e2e/web";

        var (status, created, response) = await api.SendAsync(HttpMethod.Post, "/v2/apps", MarathonApi.Fixture("busybox-httpd.json", id));
        Assert.Equal(HttpStatusCode.Created, status);
        var deployment = Assert.Single(response.Headers.GetValues("Marathon-Deployment-Id"));
        Assert.InRange(created!["portDefinitions"]![0]!["port"]!.GetValue<int>(), 10000, 19999); // a service port was assigned
        await api.WaitForDeploymentAsync(deployment);
        await api.WaitForTasksAsync(id, 1);
        using var web = new HttpClient();
        Assert.Equal("hello\n", await web.GetStringAsync($"http://127.0.0.1:{MarathonApi.Ports(await api.TasksAsync(id))[0]}/"));

        foreach (var instances in new[] { 5, 2 })
        {
            var change = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/v2/apps{id}", new JsonObject { ["instances"] = instances });
            await api.WaitForDeploymentAsync(change!["deploymentId"]!.GetValue<string>());
            await api.WaitForTasksAsync(id, instances);

            // The listing takes its counts from the root (the apps report them), not from each app: it follows too.
            await PollValue.UntilAsync(async () =>
                JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps"))!["apps"]!.AsArray()
                    .SingleOrDefault(a => a!["id"]!.GetValue<string>() == id && a["tasksRunning"]!.GetValue<int>() == instances
                        && a["tasksHealthy"]!.GetValue<int>() == instances && a["tasksStaged"]!.GetValue<int>() == 0),
                TimeSpan.FromSeconds(10), $"/v2/apps lists {instances} running and healthy");
            // Every instance runs on a port of its own. A task's terminal update can reach Marathon after the offer
            // that gives its port back (as in Mesos), so a replacement may briefly be listed beside it: wait for the
            // settled list, and show it (with the silo's log) if it never settles.
            var lastTasks = "";
            var ports = await PollValue.UntilAsync(async () =>
            {
                var tasks = await api.TasksAsync(id);
                lastTasks = tasks.ToJsonString();
                var running = tasks.Where(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING").ToList();
                var taken = running.Select(t => t!["ports"]![0]!.GetValue<int>()).Distinct().ToList();
                return tasks.Count == instances && running.Count == instances && taken.Count == instances ? taken : null;
            }, TimeSpan.FromSeconds(30), () => $"{instances} running tasks on {instances} distinct ports; listed: {lastTasks}{api.Diagnostics()}");
            foreach (var port in ports)
            {
                Assert.Equal("hello\n", await web.GetStringAsync($"http://127.0.0.1:{port}/"));
            }
        }

        // A task killed behind Marathon's back (its process dies) is replaced.
        var victim = (await api.TasksAsync(id))[0]!;
        var victimPort = victim["ports"]![0]!.GetValue<int>();
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}/tasks/{victim["id"]}");
        await Poll.UntilAsync(async () =>
        {
            var ids = MarathonApi.Ids(await api.TasksAsync(id));
            return ids.Count == 2 && !ids.Contains(victim["id"]!.GetValue<string>());
        }, TimeSpan.FromSeconds(60), "the killed task was replaced");
        await api.WaitForTasksAsync(id, 2);

        // Killing a task with scale=true lowers the instance count instead of replacing it.
        var scaledAway = (await api.TasksAsync(id))[0]!["id"]!.GetValue<string>();
        var scaling = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}/tasks/{scaledAway}?scale=true");
        await api.WaitForDeploymentAsync(scaling!["deploymentId"]!.GetValue<string>());
        await api.WaitForTasksAsync(id, 1);
        var listed = await PollValue.UntilAsync(async () =>
            JsonNode.Parse(await api.Http.GetStringAsync("/v2/apps"))!["apps"]!.AsArray()
                .SingleOrDefault(a => a!["id"]!.GetValue<string>() == id && a["instances"]!.GetValue<int>() == 1),
            TimeSpan.FromSeconds(10), "/v2/apps shows the app scaled to 1");
        var versions = JsonNode.Parse(await api.Http.GetStringAsync($"/v2/apps{id}/versions"))!["versions"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.Equal(listed["version"]!.GetValue<string>(), versions[0]); // the scale is the newest version
        Assert.Equal(versions.Count, versions.Distinct().Count());

        var removal = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}");
        await api.WaitForDeploymentAsync(removal!["deploymentId"]!.GetValue<string>());
        Assert.Null(await api.AppAsync(id));
        Assert.DoesNotContain(JsonNode.Parse(await api.Http.GetStringAsync("/master/tasks"))!["tasks"]!.AsArray(),
            t => t!["state"]!.GetValue<string>() is "TASK_RUNNING" or "TASK_STAGING" or "TASK_STARTING");
        await Assert.ThrowsAsync<HttpRequestException>(() => web.GetStringAsync($"http://127.0.0.1:{victimPort}/"));
    }

    [Fact]
    public async Task A_daemon_frozen_for_twice_the_unreachable_timeout_loses_no_task_whose_app_says_to_wait()
    {
        // A 3 s silence bound; the app keeps Marathon's default unreachableStrategy (a replacement after 300 s).
        await using var silo = await SiloProcess.StartAsync("--Silo:EmbeddedAgent=false", "--Master:AgentUnreachableTimeout=00:00:03");
        using var work = new TempDirectory();
        await using var daemon = await DaemonProcess.StartAsync(silo.BaseAddress, work.Path, "cpus:2;mem:1024;disk:1024;ports:[32300-32399]");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps",
            new JsonObject { ["id"] = "/patient", ["cmd"] = "exec sleep 1000", ["cpus"] = 0.1, ["mem"] = 16, ["instances"] = 2 });
        await api.WaitForTasksAsync("/patient", 2);
        var before = MarathonApi.Ids(await api.TasksAsync("/patient")).Order().ToList();
        Assert.Equal(300, (await api.AppAsync("/patient"))!["unreachableStrategy"]!["inactiveAfterSeconds"]!.GetValue<double>());

        Signal(daemon.Id, "STOP");
        try
        {
            // The master notices (the tasks turn UNREACHABLE) and the freeze lasts twice its bound.
            await Poll.UntilAsync(async () => (await api.TasksAsync("/patient")).All(t => t!["state"]!.GetValue<string>() == "TASK_UNREACHABLE"),
                TimeSpan.FromSeconds(20), () => "the frozen daemon's tasks are unreachable" + api.Diagnostics());
            var frozenSince = Stopwatch.StartNew();
            await Poll.UntilAsync(() => Task.FromResult(frozenSince.Elapsed >= TimeSpan.FromSeconds(3)), TimeSpan.FromSeconds(10), "twice the bound");
        }
        finally
        {
            Signal(daemon.Id, "CONT");
        }

        // Back: the same two tasks run again; none was replaced or killed.
        await api.WaitForTasksAsync("/patient", 2, timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(before, MarathonApi.Ids(await api.TasksAsync("/patient")).Order().ToList());
        var queue = JsonNode.Parse(await api.Http.GetStringAsync("/v2/queue"))!["queue"]!.AsArray();
        Assert.Empty(queue);
        Assert.DoesNotContain(silo.Output, l => l.Contains("killing", StringComparison.Ordinal) && l.Contains("patient", StringComparison.Ordinal));
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    [Fact]
    public async Task A_rolling_restart_keeps_both_capacity_bounds_at_every_observed_change()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        const string id = "/e2e/rolling";
        var app = MarathonApi.Fixture("busybox-httpd.json", id);
        app["instances"] = 4;
        app["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 0.5, ["maximumOverCapacity"] = 0.25 };

        // The bound is about what Marathon kills: a check that times out on a loaded machine (1 s in the fixture)
        // would make a healthy task look unhealthy for a moment, which no deployment can prevent.
        app["healthChecks"]![0]!["timeoutSeconds"] = 5;
        var first = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
        await api.WaitForDeploymentAsync(first!["deployments"]![0]!["id"]!.GetValue<string>());
        await api.WaitForTasksAsync(id, 4);
        var oldIds = MarathonApi.Ids(await api.TasksAsync(id)).ToHashSet();

        // A config change (a new env variable): every instance is replaced, at most ceil(4 × 1.25) = 5 live and at
        // least ceil(4 × 0.5) = 2 healthy at every moment the API shows.
        var change = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/v2/apps{id}", new JsonObject { ["env"] = new JsonObject { ["RELEASE"] = "2" } });
        var deploymentId = change!["deploymentId"]!.GetValue<string>();
        // What the bound constrains is Marathon's kills: a task that passed its check and still runs counts as healthy
        // even if one check of it timed out on the loaded machine since (a kill takes it out of TASK_RUNNING at once).
        int maxLive = 0, minHealthy = int.MaxValue;
        var passed = new HashSet<string>();
        var deadline = Stopwatch.StartNew();
        while ((await api.DeploymentsAsync()).Any(d => d!["id"]!.GetValue<string>() == deploymentId))
        {
            var tasks = await api.TasksAsync(id);
            maxLive = Math.Max(maxLive, tasks.Count);
            var running = tasks.Where(t => t!["state"]!.GetValue<string>() == "TASK_RUNNING").ToList();
            passed.UnionWith(running.Where(t => t!["healthCheckResults"]!.AsArray().Any(h => h!["alive"]!.GetValue<bool>())).Select(t => t!["id"]!.GetValue<string>()));
            minHealthy = Math.Min(minHealthy, running.Count(t => passed.Contains(t!["id"]!.GetValue<string>())));
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), $"the restart did not finish in 60 s{api.Diagnostics()}");
        }

        Assert.True(maxLive <= 5, $"{maxLive} tasks were live at once (limit 5)");
        Assert.True(minHealthy >= 2, $"only {minHealthy} healthy task(s) at one point (minimum 2)");
        await api.WaitForTasksAsync(id, 4);
        var newTasks = await api.TasksAsync(id);
        Assert.Empty(MarathonApi.Ids(newTasks).Intersect(oldIds));
        Assert.All(newTasks, t => Assert.Equal(change["version"]!.GetValue<string>(), t!["version"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_health_checks_first_result_comes_within_its_grace_period_and_interval()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        using var sse = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var events = new System.Collections.Concurrent.ConcurrentQueue<SseEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in SseReader.ReadAsync(sse, "/v2/events?event_type=event_stream_attached&event_type=status_update_event&event_type=health_status_changed_event", cancellationToken: stop.Token))
            {
                events.Enqueue(e);
                if (e.Type == "health_status_changed_event")
                {
                    return;
                }
            }
        });

        // The stream follows from where it was when it attached: the app is created only after that (on a loaded box the
        // client could attach after the first health result, and wait for one that had come and gone).
        await Poll.UntilAsync(() => Task.FromResult(events.Any(e => e.Type == "event_stream_attached")), TimeSpan.FromSeconds(30), "the event stream attached");

        // Marathon's own HTTP check (not MESOS_HTTP): delaySeconds (default 15) does not hold it back.
        var app = MarathonApi.Fixture("busybox-httpd.json", "/e2e/prompt");
        app["healthChecks"] = new JsonArray(new JsonObject { ["protocol"] = "HTTP", ["path"] = "/", ["portIndex"] = 0, ["gracePeriodSeconds"] = 5, ["intervalSeconds"] = 2 });
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
        await reading;

        var running = events.First(e => e.Type == "status_update_event" && e.Data["taskStatus"]!.GetValue<string>() == "TASK_RUNNING");
        var health = events.Single(e => e.Type == "health_status_changed_event");
        Assert.True(health.Data["alive"]!.GetValue<bool>());
        var after = DateTimeOffset.Parse(health.Data["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(running.Data["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(after <= TimeSpan.FromSeconds(5 + 2), $"the first health result came {after.TotalSeconds:0.0} s after RUNNING (grace 5 s + interval 2 s)");
    }

    [Fact]
    public async Task A_task_failing_its_health_check_is_killed_and_replaced_with_a_growing_launch_delay()
    {
        await using var silo = await SiloProcess.StartAsync("--Marathon:UnhealthyKillWindow=00:00:02");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        const string id = "/e2e/sick";
        var app = MarathonApi.Fixture("busybox-httpd.json", id);
        app["healthChecks"]![0]!["path"] = "/missing.html";
        app["healthChecks"]![0]!["gracePeriodSeconds"] = 1;
        app["healthChecks"]![0]!["intervalSeconds"] = 0.5;
        app["healthChecks"]![0]!["maxConsecutiveFailures"] = 2;
        app["backoffSeconds"] = 2;
        app["backoffFactor"] = 2;
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);

        var seen = new HashSet<string>();
        var delayed = false;
        await Poll.UntilAsync(async () =>
        {
            seen.UnionWith(MarathonApi.Ids(await api.TasksAsync(id)));
            var queue = JsonNode.Parse(await api.Http.GetStringAsync("/v2/queue"))!["queue"]!.AsArray();
            delayed |= queue.Any(q => q!["app"]!["id"]!.GetValue<string>() == id && q["delay"]!["timeLeftSeconds"]!.GetValue<int>() > 0);
            return seen.Count >= 3 && delayed;
        }, TimeSpan.FromSeconds(90), () => $"3 tasks replaced one after another with a launch delay (seen {seen.Count}, delayed {delayed}){api.Diagnostics()}");

        var failure = (await api.AppAsync(id))!["lastTaskFailure"];
        Assert.NotNull(failure);
        Assert.Equal("TASK_KILLED", failure!["state"]!.GetValue<string>());

        // The deployment never finishes (never healthy) and says why.
        var deployment = Assert.Single(await api.DeploymentsAsync())!;
        Assert.Equal(id, deployment["currentActions"]![0]!["app"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deployment_waits_for_the_readiness_check_not_only_for_health()
    {
        // The agent names itself 127.0.0.1 so Marathon's readiness GETs stay on loopback.
        await using var silo = await SiloProcess.StartAsync("--Daemon:Hostname=127.0.0.1");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        const string id = "/e2e/ready";
        var app = MarathonApi.Fixture("busybox-httpd.json", id);
        app["instances"] = 2;

        // Healthy at once ("/" answers), ready only after 4 s (/ready.html appears then).
        // (Only the sleep goes to the background: "a && b && (c) & d" backgrounds the mkdir too, and httpd raced it.)
        app["cmd"] = "mkdir -p www && echo hello > www/index.html && { (sleep 4; echo ok > www/ready.html) & } && exec busybox httpd -f -p 127.0.0.1:$PORT0 -h www";
        app["readinessChecks"] = new JsonArray(new JsonObject
        {
            ["name"] = "ready",
            ["protocol"] = "HTTP",
            ["path"] = "/ready.html",
            ["portName"] = "http",
            ["intervalSeconds"] = 0.5,
            ["timeoutSeconds"] = 0.4,
            ["httpStatusCodesForReady"] = new JsonArray(200),
            ["preserveLastResponse"] = true,
        });
        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
        var deploymentId = created!["deployments"]![0]!["id"]!.GetValue<string>();

        var healthyWhileDeploying = false;
        var notReadyAnswerShown = false;
        using var web = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await api.DeploymentsAsync()).FirstOrDefault(d => d!["id"]!.GetValue<string>() == deploymentId) is { } deployment)
        {
            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail($"the deployment did not finish within 60 s: {deployment.ToJsonString()}{Environment.NewLine}{await api.StateAsync()}{api.Diagnostics()}");
            }

            var current = await api.AppAsync(id);
            healthyWhileDeploying |= current!["tasksHealthy"]!.GetValue<int>() == 2;

            // /v2/deployments shows each instance's readiness, with the last answer (the check preserves it).
            foreach (var result in deployment["currentActions"]![0]!["readinessCheckResults"]?.AsArray() ?? [])
            {
                Assert.Equal("ready", result!["name"]!.GetValue<string>());
                notReadyAnswerShown |= !result["ready"]!.GetValue<bool>() && result["lastResponse"]?["status"]?.GetValue<int>() == 404;
            }
        }

        Assert.True(healthyWhileDeploying, "the deployment finished before both tasks were even healthy");
        Assert.True(notReadyAnswerShown, "no readiness result showed the 404 of a task not ready yet");
        foreach (var port in MarathonApi.Ports(await api.TasksAsync(id)))
        {
            // Done only once every instance was ready.
            Assert.Equal("ok\n", await web.GetStringAsync($"http://127.0.0.1:{port}/ready.html"));
        }
    }

    [Fact]
    public async Task A_group_deploys_its_tree_shows_it_plans_a_dry_run_and_is_removed_dependents_first()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        var group = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.MarathonFixtures, "stack-group.json")))!;

        // A group whose every app depends on another group (relative to its parent, as Marathon reads it).
        group["groups"]!.AsArray().Add(JsonNode.Parse("""
            {"id": "jobs", "dependencies": ["front"], "apps": [{"id": "worker", "cmd": "sleep 1000", "cpus": 0.05, "mem": 16}]}
            """));
        var planned = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/v2/groups/shop?dryRun=true", group);
        Assert.Equal(
            ["StartApplication /shop/db,StartApplication /shop/front/web,StartApplication /shop/jobs/worker",
             "ScaleApplication /shop/db", "ScaleApplication /shop/front/web", "ScaleApplication /shop/jobs/worker"],
            planned!["steps"]!.AsArray().Select(s => string.Join(",", s!["actions"]!.AsArray().Select(a => $"{a!["action"]} {a["app"]}"))));
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/v2/groups/shop")).Status);

        var (createdStatus, created, createdResponse) = await api.SendAsync(HttpMethod.Post, "/v2/groups", group);
        Assert.Equal(HttpStatusCode.Created, createdStatus);
        Assert.Equal("/v2/groups/shop", createdResponse.Headers.Location?.OriginalString);
        await api.WaitForDeploymentAsync(created!["deploymentId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Post, "/v2/groups", group)).Status);

        var tree = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups");
        var shop = tree!["groups"]!.AsArray().Single()!;
        Assert.Equal("/shop", shop["id"]!.GetValue<string>());
        Assert.Equal("/shop/db", shop["apps"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("/shop/front/web", shop["groups"]![0]!["apps"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(2, (await api.TasksAsync("/shop/front/web")).Count);
        var jobs = shop["groups"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == "/shop/jobs")!;
        Assert.Equal(["/shop/front"], jobs["dependencies"]!.AsArray().Select(d => d!.GetValue<string>()));

        // The Marathon UI's service list: apps with their counts, tasks and deployments embedded.
        var embedded = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            "/v2/groups?embed=group.groups&embed=group.apps&embed=group.apps.counts&embed=group.apps.tasks&embed=group.apps.deployments");
        var web = embedded!["groups"]![0]!["groups"]!.AsArray().Single(g => g!["id"]!.GetValue<string>() == "/shop/front")!["apps"]![0]!;
        Assert.Equal(2, web["tasksRunning"]!.GetValue<int>());
        Assert.Equal(2, web["tasks"]!.AsArray().Count);
        Assert.Empty(web["deployments"]!.AsArray());
        Assert.Null(tree["groups"]![0]!["apps"]![0]!["tasks"]); // not asked for, not there
        var underShop = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/apps/shop/*");
        Assert.Equal(["/shop/db", "/shop/front/web", "/shop/jobs/worker"], underShop!["*"]!.AsArray().Select(x => x!["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Empty((await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/apps/nowhere/*"))!["*"]!.AsArray());
        var db = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/apps/shop/db?embed=app.taskStats&embed=app.readiness"))!["app"]!;
        Assert.Equal(1, db["taskStats"]!["totalSummary"]!["stats"]!["counts"]!["running"]!.GetValue<int>());
        Assert.Empty(db["readinessCheckResults"]!.AsArray());
        var listed = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/apps?embed=apps.taskStats"))!["apps"]!.AsArray();
        Assert.All(listed, x => Assert.NotNull(x!["taskStats"]));

        // Versions: a change under a group is a version of it and of the groups above, not of its siblings.
        var shopVersions = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups/shop/versions"))!.AsArray();
        var frontVersions = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups/shop/front/versions"))!.AsArray();
        Assert.Single(shopVersions);
        var scaled = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, "/v2/apps/shop/jobs/worker", new JsonObject { ["instances"] = 2 });
        await api.WaitForDeploymentAsync(scaled!["deploymentId"]!.GetValue<string>());
        var after = (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups/shop/versions"))!.AsArray();
        Assert.Equal([scaled["version"]!.GetValue<string>(), shopVersions[0]!.GetValue<string>()], after.Select(v => v!.GetValue<string>()));
        Assert.Equal(frontVersions.Count, (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups/shop/front/versions"))!.AsArray().Count);
        Assert.Equal(after.Count, (await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups/versions"))!.AsArray().Count);

        // scaleBy: every app under the group, ceil(instances × factor), in one deployment.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.SendAsync(HttpMethod.Put, "/v2/groups/shop/front", new JsonObject { ["scaleBy"] = 0 })).Status);
        var doubled = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/v2/groups/shop/front", new JsonObject { ["scaleBy"] = 1.5 });
        await api.WaitForDeploymentAsync(doubled!["deploymentId"]!.GetValue<string>());
        Assert.Equal(3, (await api.AppAsync("/shop/front/web"))!["instances"]!.GetValue<int>());

        // A dry run of the group without its front answers the plan and changes nothing.
        var withoutFront = group.DeepClone().AsObject();
        withoutFront.Remove("groups");
        withoutFront["groups"] = new JsonArray(group["groups"]![1]!.DeepClone());
        var plan = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/v2/groups/shop?dryRun=true", withoutFront);
        Assert.Equal("StopApplication /shop/front/web", string.Join(",", plan!["steps"]![0]!["actions"]!.AsArray().Select(a => $"{a!["action"]} {a["app"]}")));
        Assert.NotNull(await api.AppAsync("/shop/front/web"));

        // Emptying the group stops the dependent first (the plan a removal follows), then the removal itself.
        var emptied = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/v2/groups/shop?dryRun=true", new JsonObject { ["id"] = "/shop" });
        Assert.Equal(["StopApplication /shop/jobs/worker", "StopApplication /shop/front/web", "StopApplication /shop/db"],
            emptied!["steps"]!.AsArray().Select(s => string.Join(",", s!["actions"]!.AsArray().Select(a => $"{a!["action"]} {a["app"]}"))));
        var removal = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/v2/groups/shop");
        await api.WaitForDeploymentAsync(removal!["deploymentId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/v2/groups/shop")).Status);

        // A group created empty exists (in the tree too) until it is deleted, as in Marathon.
        var empty = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/groups", JsonNode.Parse("""{"id": "/empty", "groups": [{"id": "inner"}]}"""));
        await api.WaitForDeploymentAsync(empty!["deploymentId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Post, "/v2/groups", new JsonObject { ["id"] = "/empty" })).Status);
        var shown = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups/empty");
        Assert.Empty(shown!["apps"]!.AsArray());
        Assert.Equal("/empty/inner", shown["groups"]![0]!["id"]!.GetValue<string>());
        Assert.Contains((await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups"))!["groups"]!.AsArray(), g => g!["id"]!.GetValue<string>() == "/empty");
        Assert.Single((await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/groups/empty/inner/versions"))!.AsArray());
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/v2/groups/empty");
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/v2/groups/empty")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, "/v2/groups/empty/inner")).Status);
    }

    [Fact]
    public async Task Dependencies_start_in_order()
    {
        await using var silo = await SiloProcess.StartAsync("--Logging:LogLevel:OrleansDcos.Grains.Marathon=Debug", "--Logging:LogLevel:OrleansDcos.Grains.Master=Debug");
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        var apps = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.MarathonFixtures, "sleep-with-dependency.json")))!.AsArray();

        var result = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/v2/apps", apps);
        var deploymentId = result!["deploymentId"]!.GetValue<string>();

        // The plan, from the event bus (the deployment may be over before a GET of /v2/deployments).
        using var sse = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        JsonNode? plan = null;
        await foreach (var e in SseReader.ReadAsync(sse, "/v2/events?event_type=deployment_info", lastEventId: 0, reading.Token))
        {
            if (e.Data["plan"]!["id"]!.GetValue<string>() == deploymentId)
            {
                plan = e.Data["plan"];
                break;
            }
        }

        Assert.Equal(
            ["StartApplication /stack/api,StartApplication /stack/db", "ScaleApplication /stack/db", "ScaleApplication /stack/api"],
            plan!["steps"]!.AsArray().Select(s => string.Join(",", s!["actions"]!.AsArray().Select(a => $"{a!["action"]} {a["app"]}").Order())));
        await api.WaitForDeploymentAsync(deploymentId);

        var db = await api.TasksAsync("/stack/db");
        var dependents = await api.TasksAsync("/stack/api");
        Assert.Single(db);
        Assert.Equal(2, dependents.Count);
        var dbStarted = DateTimeOffset.Parse(db[0]!["startedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(dependents, t => Assert.True(
            DateTimeOffset.Parse(t!["stagedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) >= dbStarted,
            "a dependent task was launched before its dependency ran"));
    }

    [Fact]
    public async Task A_deployment_blocked_by_an_unsatisfiable_constraint_says_why_and_is_cancelled_with_rollback()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        const string id = "/e2e/pinned";
        var app = MarathonApi.Fixture("busybox-httpd.json", id);
        app["constraints"] = new JsonArray(new JsonArray("hostname", "LIKE", "no-such-host-.*"));
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);

        var reason = await PollValue.UntilAsync<string>(async () =>
        {
            var deployment = (await api.DeploymentsAsync()).SingleOrDefault();
            var blockedBy = deployment?["currentActions"]?[0]?["blockedBy"]?.GetValue<string>();
            return blockedBy?.Contains("could not be placed", StringComparison.Ordinal) == true ? blockedBy : null;
        }, TimeSpan.FromSeconds(30), "the deployment says why it does not progress");
        Assert.Contains("constraint LIKE hostname", reason);
        var queued = JsonNode.Parse(await api.Http.GetStringAsync("/v2/queue"))!["queue"]!.AsArray().Single()!;
        var lastOffers = queued["processedOffersSummary"]!["rejectSummaryLastOffers"]!.AsArray();
        Assert.Equal(OrleansDcos.Scheduling.Placement.OfferRejectFunnel.Reasons, lastOffers.Select(r => r!["reason"]!.GetValue<string>())); // Marathon's funnel, in order
        Assert.True(lastOffers.Single(r => r!["reason"]!.GetValue<string>() == "UnfulfilledConstraint")!["declined"]!.GetValue<int>() >= 1);
        Assert.True(queued["processedOffersSummary"]!["rejectSummaryLaunchAttempt"]!.AsArray()[1]!["declined"]!.GetValue<int>() >= 1);
        Assert.Contains(queued["rejectDetailsLastOffers"]!.AsArray(), r => r!["reason"]!.GetValue<string>() == "constraint LIKE hostname");

        // Another change is refused while the deployment holds the app.
        var (locked, lockBody, _) = await api.SendAsync(HttpMethod.Patch, $"/v2/apps{id}", new JsonObject { ["instances"] = 2 });
        Assert.Equal(HttpStatusCode.Conflict, locked);
        Assert.Contains("force=true", lockBody!["message"]!.GetValue<string>());

        var deploymentId = (await api.DeploymentsAsync())[0]!["id"]!.GetValue<string>();
        Assert.Equal([deploymentId], lockBody["deployments"]!.AsArray().Select(d => d!["id"]!.GetValue<string>())); // Marathon's AppLockedException
        var rollback = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/deployments/{deploymentId}");
        await api.WaitForDeploymentAsync(rollback!["deploymentId"]!.GetValue<string>());
        Assert.Null(await api.AppAsync(id)); // it did not exist before
        Assert.Empty(await api.DeploymentsAsync());
    }

    [RequiresFact(Component.Docker)]
    public async Task A_Docker_app_runs_local_busybox_on_the_host_network_and_turns_healthy()
    {
        TestEnvironment.Require(Component.Docker);
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        const string id = "/e2e/docker";
        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", MarathonApi.Fixture("docker-httpd.json", id));
        await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>(), TimeSpan.FromSeconds(90));
        await api.WaitForTasksAsync(id, 1);
        using var web = new HttpClient();
        Assert.Equal("hello\n", await web.GetStringAsync($"http://127.0.0.1:{MarathonApi.Ports(await api.TasksAsync(id))[0]}/"));
        var removal = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}");
        await api.WaitForDeploymentAsync(removal!["deploymentId"]!.GetValue<string>(), TimeSpan.FromSeconds(60));
    }
}
