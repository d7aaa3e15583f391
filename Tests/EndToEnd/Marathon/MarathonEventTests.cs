using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Marathon;

/// <summary>The event bus over server-sent events.</summary>
[Trait("Area", "Marathon")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MarathonEventTests
{
    [Fact]
    public async Task An_SSE_client_that_disconnects_and_resumes_with_Last_Event_ID_misses_nothing()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        using var sse = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        const string id = "/e2e/events";

        // A reference client stays connected the whole time.
        using var stopReference = new CancellationTokenSource();
        var reference = new List<SseEvent>();
        var referenceTask = Task.Run(async () =>
        {
            await foreach (var e in SseReader.ReadAsync(sse, "/v2/events", cancellationToken: stopReference.Token))
            {
                lock (reference)
                {
                    reference.Add(e);
                }
            }
        });
        await Poll.UntilAsync(() => Task.FromResult(Snapshot(reference).Any(e => e.Type == "event_stream_attached")), TimeSpan.FromSeconds(10), "the reference client attached");

        // The client under test reads until the app's first task runs, then goes away.
        var seen = new List<SseEvent>();
        using (var firstPart = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            var reading = Task.Run(async () =>
            {
                await foreach (var e in SseReader.ReadAsync(sse, "/v2/events", cancellationToken: firstPart.Token))
                {
                    seen.Add(e);
                    if (e.Type == "status_update_event" && e.Data["taskStatus"]!.GetValue<string>() == "TASK_RUNNING")
                    {
                        return;
                    }
                }
            });
            var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", MarathonApi.Fixture("busybox-httpd.json", id));
            await reading;
            await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        }

        // While it is away: a scale up and down, and a removal.
        foreach (var instances in new[] { 3, 1 })
        {
            var change = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Patch, $"/v2/apps{id}", new JsonObject { ["instances"] = instances });
            await api.WaitForDeploymentAsync(change!["deploymentId"]!.GetValue<string>());
        }

        var removal = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}");
        await api.WaitForDeploymentAsync(removal!["deploymentId"]!.GetValue<string>());
        await Poll.UntilAsync(() => Task.FromResult(Snapshot(reference).Any(e => e.Type == "app_terminated_event")), TimeSpan.FromSeconds(30), "the reference saw the app terminate");
        var referenceIds = Snapshot(reference).Where(e => e.Id is not null).Select(e => e.Id!.Value).ToList();

        // It comes back with the last id it saw and gets exactly the rest.
        var lastSeen = seen.Last(e => e.Id is not null).Id!.Value;
        var resumed = new List<SseEvent>();
        using (var secondPart = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await foreach (var e in SseReader.ReadAsync(sse, "/v2/events", lastSeen, secondPart.Token))
            {
                resumed.Add(e);
                if (e.Id == referenceIds[^1])
                {
                    break;
                }
            }
        }

        await stopReference.CancelAsync();
        await referenceTask;
        Assert.DoesNotContain(resumed, e => e.Type == "event_stream_attached"); // a resume is not a new attachment
        var combined = seen.Concat(resumed).Where(e => e.Id is not null).Select(e => e.Id!.Value).ToList();
        Assert.Equal(referenceIds, combined.Where(i => i >= referenceIds[0]).ToList());
        Assert.Equal(combined.Count, combined.Distinct().Count());

        // Marathon's shapes.
        var all = Snapshot(reference);
        var running = all.First(e => e.Type == "status_update_event" && e.Data["taskStatus"]!.GetValue<string>() == "TASK_RUNNING").Data;
        foreach (var field in new[] { "eventType", "timestamp", "slaveId", "taskId", "taskStatus", "appId", "host", "ports", "version", "ipAddresses" })
        {
            Assert.True(running.ContainsKey(field), $"status_update_event has no {field}");
        }

        Assert.Equal(id, running["appId"]!.GetValue<string>());
        Assert.True(System.Net.IPAddress.TryParse(running["ipAddresses"]![0]!["ipAddress"]!.GetValue<string>(), out _), "ipAddresses[].ipAddress is an IP, not a hostname");
        foreach (var type in new[] { "api_post_event", "deployment_info", "deployment_step_success", "deployment_success", "instance_changed_event", "health_status_changed_event", "group_change_success", "add_health_check_event" })
        {
            Assert.Contains(all, e => e.Type == type);
        }
    }

    [Fact]
    public async Task Event_type_filters_pass_only_the_types_asked_for()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        using var sse = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        var received = new List<SseEvent>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var reading = Task.Run(async () =>
        {
            await foreach (var e in SseReader.ReadAsync(sse, "/v2/events?event_type=deployment_success&event_type=app_terminated_event", cancellationToken: stop.Token))
            {
                received.Add(e);
                if (received.Any(r => r.Type == "app_terminated_event") && received.Count(r => r.Type == "deployment_success") == 2)
                {
                    return;
                }
            }
        });
        var app = MarathonApi.Fixture("busybox-httpd.json", "/e2e/filtered");
        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
        await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        var removal = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, "/v2/apps/e2e/filtered");
        await api.WaitForDeploymentAsync(removal!["deploymentId"]!.GetValue<string>());
        await reading.WaitAsync(TimeSpan.FromSeconds(30)); // both deployments are done: their events are in the log
        Assert.All(received, e => Assert.Contains(e.Type, new[] { "deployment_success", "app_terminated_event" }));
        Assert.Equal(2, received.Count(e => e.Type == "deployment_success"));
    }

    [Fact]
    public async Task A_callback_subscriber_gets_every_event_even_after_failing_the_first_posts()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        var port = FreePort.Next();
        var url = $"http://127.0.0.1:{port}/hook/";
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add(url);
        listener.Start();
        var received = new List<JsonObject>();
        var refused = 0;
        var receiving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream);
                var body = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
                lock (received)
                {
                    // The first two deliveries fail: the subscriber must get them again.
                    if (refused < 2)
                    {
                        refused++;
                        context.Response.StatusCode = 500;
                    }
                    else
                    {
                        received.Add(body);
                        context.Response.StatusCode = 200;
                    }
                }

                context.Response.Close();
            }
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.SendAsync(HttpMethod.Post, "/v2/eventSubscriptions?callbackUrl=not-a-url")).Status);
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/v2/eventSubscriptions?callbackUrl={Uri.EscapeDataString(url)}");
        var listed = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/v2/eventSubscriptions");
        Assert.Equal([url], listed!["callbackUrls"]!.AsArray().Select(u => u!.GetValue<string>()));

        var created = await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", MarathonApi.Fixture("busybox-httpd.json", "/e2e/hooked"));
        await api.WaitForDeploymentAsync(created!["deployments"]![0]!["id"]!.GetValue<string>());
        string[] Types()
        {
            lock (received)
            {
                return received.Select(r => r["eventType"]!.GetValue<string>()).ToArray();
            }
        }

        await Poll.UntilAsync(() => Task.FromResult(Types().Contains("deployment_success")), TimeSpan.FromSeconds(60),
            () => $"the subscriber got deployment_success (got {string.Join(", ", Types())}){api.Diagnostics()}");
        Assert.Equal("subscribe_event", Types()[0]); // refused twice, then taken: nothing lost, order kept
        foreach (var type in new[] { "api_post_event", "deployment_info", "status_update_event" })
        {
            Assert.Contains(type, Types());
        }

        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/eventSubscriptions?callbackUrl={Uri.EscapeDataString(url)}");
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"/v2/eventSubscriptions?callbackUrl={Uri.EscapeDataString(url)}")).Status);
        listener.Stop();
        await receiving;
    }

    private static List<SseEvent> Snapshot(List<SseEvent> events)
    {
        lock (events)
        {
            return events.ToList();
        }
    }
}
