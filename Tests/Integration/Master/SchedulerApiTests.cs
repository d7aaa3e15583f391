using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Grains;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;
using OrleansDcos.Providers.Streams;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Master;
using Xunit;

namespace OrleansDcos.Tests.Integration.Master;

/// <summary>An external framework on the raw Mesos v1 scheduler API against the master's grains and simulated agents.</summary>
[Trait("Area", "Master")]
[Collection(ClusterCollection.Name)]
public sealed class SchedulerApiTests
{
    [RequiresFact(Component.Postgres)]
    public async Task A_raw_HTTP_framework_gets_offers_launches_tasks_and_sees_them_run_and_finish()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(3);
        foreach (var agent in agents)
        {
            agent.Behaviour = _ => new SimulatedOutcome(TimeSpan.FromMilliseconds(20), RunFor: TimeSpan.FromMilliseconds(300));
        }

        var events = master.Cluster.RunningSilos[0].Services.GetRequiredService<EventLogReader>();
        var stream = DcosStreams.TaskStatuses;
        var head = await events.HeadAsync(MasterStreamProvider.Name, stream);

        await using var framework = new RawFramework(master.Gateway);
        await framework.SubscribeAsync("raw");
        var subscribed = framework.Events.First(e => e["type"]!.GetValue<string>() == "SUBSCRIBED")["subscribed"]!;
        Assert.StartsWith("master@", subscribed["master_info"]!["pid"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(master.Gateway.Port, subscribed["master_info"]!["address"]!["port"]!.GetValue<int>());
        var offer = await framework.NextOfferAsync();
        Assert.Equal(4, RawFramework.Scalar(offer, "cpus"));
        await framework.LaunchAsync(offer, [("t1", RawFramework.Scalars(1, 128)), ("t2", RawFramework.Scalars(1, 128))]);

        await framework.WaitForStateAsync("t1", "TASK_FINISHED");
        await framework.WaitForStateAsync("t2", "TASK_FINISHED");
        foreach (var task in new[] { "t1", "t2" })
        {
            var states = framework.Updates(task).Select(u => u["update"]!["status"]!["state"]!.GetValue<string>()).Distinct().ToArray();
            Assert.Equal(["TASK_RUNNING", "TASK_FINISHED"], states);
        }

        // Every change is on the durable task-status stream.
        await Poll.UntilAsync(async () =>
        {
            var seen = new List<TaskStatusEvent>();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                await foreach (var (e, _) in events.FollowAsync<TaskStatusEvent>(MasterStreamProvider.Name, stream, head, cts.Token))
                {
                    seen.Add(e);
                }
            }
            catch (OperationCanceledException)
            {
            }

            return seen.Count(e => e.Status.TaskId is "t1" or "t2" && e.Status.State == TaskState.TASK_FINISHED) == 2
                && seen.Count(e => e.Status.TaskId is "t1" or "t2" && e.Status.State == TaskState.TASK_RUNNING) >= 2;
        }, TimeSpan.FromSeconds(10), "RUNNING and FINISHED of both tasks on the stream");

        // Acknowledged terminal updates let the agent forget the tasks.
        await Poll.UntilAsync(() => Task.FromResult(agents.All(a => a.Tasks.Count == 0)), TimeSpan.FromSeconds(10), "agents forgot acknowledged tasks");
        Assert.All(agents, a => Assert.Empty(a.Violations));

        using var http = new HttpClient { BaseAddress = master.Gateway };
        var state = JsonNode.Parse(await http.GetStringAsync("/master/state"))!;
        Assert.Equal(3, state["slaves"]!.AsArray().Count);
        Assert.Equal("raw", state["frameworks"]![0]!["name"]!.GetValue<string>());

        // Ended and acknowledged, the tasks are history the master still shows (Mesos' completed_tasks).
        await Poll.UntilAsync(async () =>
        {
            var frameworks = JsonNode.Parse(await http.GetStringAsync("/master/frameworks"))!["frameworks"]!.AsArray();
            var completed = frameworks.Single()!["completed_tasks"]!.AsArray();
            return completed.Count == 2 && completed.All(t => t!["state"]!.GetValue<string>() == "TASK_FINISHED"
                && t["statuses"]!.AsArray().Select(x => x!["state"]!.GetValue<string>()).SequenceEqual(["TASK_RUNNING", "TASK_FINISHED"]));
        }, TimeSpan.FromSeconds(10), "both tasks among the framework's completed tasks, with the statuses they went through");
        Assert.Empty(JsonNode.Parse(await http.GetStringAsync("/master/frameworks"))!["frameworks"]![0]!["tasks"]!.AsArray());

        // Ended states are counters (they stay once the tasks are forgotten); live states are gauges.
        await Poll.UntilAsync(async () => JsonNode.Parse(await http.GetStringAsync("/metrics/snapshot"))!["master/tasks_finished"]!.GetValue<long>() == 2,
            TimeSpan.FromSeconds(10), "two finished tasks counted");
        var metrics = JsonNode.Parse(await http.GetStringAsync("/metrics/snapshot"))!;
        Assert.Equal(0, metrics["master/tasks_running"]!.GetValue<int>());
        Assert.Equal(0, metrics["master/tasks_failed"]!.GetValue<long>());
    }

    [RequiresFact(Component.Postgres)]
    public async Task Bad_calls_are_refused_with_clear_errors()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = master.Gateway };

        var malformed = await http.PostAsync("/api/v1/scheduler", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("not valid JSON", (await malformed.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>());

        var noName = await http.PostAsync("/api/v1/scheduler", JsonContent.Create(new JsonObject { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = new JsonObject() } }));
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Contains("name", (await noName.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>());

        await using var framework = new RawFramework(master.Gateway);
        await framework.SubscribeAsync("bad-calls");
        var unsupported = await framework.CallAsync("MESSAGE", new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.StatusCode);

        var wrongStream = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler")
        {
            Content = JsonContent.Create(new JsonObject { ["type"] = "REVIVE", ["framework_id"] = new JsonObject { ["value"] = framework.FrameworkId } }),
        };
        wrongStream.Headers.Add("Mesos-Stream-Id", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(wrongStream)).StatusCode);

        // A launch on an offer that does not exist: the task is DROPPED, nothing runs.
        await framework.CallOkAsync("ACCEPT", new JsonObject
        {
            ["offer_ids"] = new JsonArray(new JsonObject { ["value"] = "no-such-offer" }),
            ["operations"] = new JsonArray(new JsonObject
            {
                ["type"] = "LAUNCH",
                ["launch"] = new JsonObject
                {
                    ["task_infos"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "x",
                        ["task_id"] = new JsonObject { ["value"] = "x" },
                        ["agent_id"] = new JsonObject { ["value"] = "a" },
                        ["resources"] = RawFramework.Scalars(1, 1),
                        ["command"] = new JsonObject { ["value"] = "true" },
                    })
                },
            }),
        });
        await framework.WaitForStateAsync("x", "TASK_LOST"); // DROPPED, as a framework that is not partition-aware sees it
    }

    [RequiresFact(Component.Postgres)]
    public async Task Task_ids_that_could_name_a_path_are_refused_on_ACCEPT_and_nothing_of_theirs_reaches_an_agent()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(1);
        await using var framework = new RawFramework(master.Gateway);
        await framework.SubscribeAsync("ids");
        var offer = await framework.NextOfferAsync();
        string[] bad = ["..", ".", "a/b", "line\nbreak", new string('x', 300)];
        await framework.LaunchAsync(offer, bad.Select(id => (id, RawFramework.Scalars(0.1, 16))).Append(("fine", RawFramework.Scalars(0.1, 16))), refuseSeconds: 0);

        foreach (var id in bad)
        {
            await framework.WaitForStateAsync(id, "TASK_ERROR");
            var status = framework.Updates(id).Last()["update"]!["status"]!;
            Assert.Equal(TaskReasons.TaskInvalid, status["reason"]!.GetValue<string>());
            Assert.Contains("task_id", status["message"]!.GetValue<string>());
        }

        await framework.WaitForStateAsync("fine", "TASK_RUNNING");
        Assert.Equal(["fine"], agents[0].Tasks.Keys);

        // A framework id of the same kind is refused at SUBSCRIBE, before any grain is made for it.
        using var http = new HttpClient { BaseAddress = master.Gateway };
        var subscribe = await http.PostAsync("/api/v1/scheduler", JsonContent.Create(new JsonObject
        {
            ["type"] = "SUBSCRIBE",
            ["subscribe"] = new JsonObject { ["framework_info"] = new JsonObject { ["name"] = "x", ["user"] = "", ["id"] = new JsonObject { ["value"] = ".." } } },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, subscribe.StatusCode);
        Assert.Equal("framework_info.id '..' is not allowed (it names a directory)", (await subscribe.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>());
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_reader_that_takes_one_record_per_HTTP_chunk_sees_SUBSCRIBED_OFFERS_and_UPDATEs_and_offers_carry_the_agents_url_and_domain()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(2, faultDomain: ("eu", "eu-1a"));
        foreach (var agent in agents)
        {
            agent.Behaviour = _ => new SimulatedOutcome(TimeSpan.FromMilliseconds(20), RunFor: TimeSpan.FromMilliseconds(300));
        }

        await using var subscriber = new ChunkPerRecordSubscriber();
        await subscriber.SubscribeAsync(master.Gateway, "one-record-per-chunk");
        JsonObject Record(string type) => subscriber.Records.First(r => r["type"]!.GetValue<string>() == type);
        await Poll.UntilAsync(() => Task.FromResult(subscriber.Records.Any(r => r["type"]!.GetValue<string>() == "OFFERS")), TimeSpan.FromSeconds(20), "SUBSCRIBED and OFFERS");
        Assert.Equal("SUBSCRIBED", subscriber.Records[0]["type"]!.GetValue<string>());
        var frameworkId = Record("SUBSCRIBED")["subscribed"]!["framework_id"]!["value"]!.GetValue<string>();
        var offer = Record("OFFERS")["offers"]!["offers"]![0]!.AsObject();

        // Every field of Mesos' Offer that is filled here, as Mesos names it.
        Assert.Equal("http", offer["url"]!["scheme"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", offer["url"]!["address"]!["ip"]!.GetValue<string>());
        Assert.Equal(5051, offer["url"]!["address"]!["port"]!.GetValue<int>());
        Assert.Equal(offer["hostname"]!.GetValue<string>(), offer["url"]!["address"]!["hostname"]!.GetValue<string>());
        Assert.Equal("eu", offer["domain"]!["fault_domain"]!["region"]!["name"]!.GetValue<string>());
        Assert.Equal("eu-1a", offer["domain"]!["fault_domain"]!["zone"]!["name"]!.GetValue<string>());
        Assert.Equal("*", offer["allocation_info"]!["role"]!.GetValue<string>());

        using var http = new HttpClient { BaseAddress = master.Gateway };
        async Task CallAsync(string type, JsonObject body)
        {
            body["type"] = type;
            body["framework_id"] = new JsonObject { ["value"] = frameworkId };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = JsonContent.Create(body) };
            request.Headers.Add("Mesos-Stream-Id", subscriber.StreamId);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await CallAsync("ACCEPT", new JsonObject
        {
            ["accept"] = new JsonObject
            {
                ["offer_ids"] = new JsonArray(offer["id"]!.DeepClone()),
                ["operations"] = new JsonArray(new JsonObject
                {
                    ["type"] = "LAUNCH",
                    ["launch"] = new JsonObject
                    {
                        ["task_infos"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "t",
                            ["task_id"] = new JsonObject { ["value"] = "chunked" },
                            ["agent_id"] = offer["agent_id"]!.DeepClone(),
                            ["resources"] = RawFramework.Scalars(0.5, 32),
                            ["command"] = new JsonObject { ["value"] = "true" },
                        })
                    },
                }),
            },
        });

        JsonObject? Update(string state) => subscriber.Records.LastOrDefault(r => r["type"]!.GetValue<string>() == "UPDATE"
            && r["update"]!["status"]!["task_id"]!["value"]!.GetValue<string>() == "chunked" && r["update"]!["status"]!["state"]!.GetValue<string>() == state);
        var running = await PollValue.UntilAsync(() => Task.FromResult(Update("TASK_RUNNING")), TimeSpan.FromSeconds(20), "UPDATE TASK_RUNNING");
        var status = running["update"]!["status"]!;
        Assert.Equal("SOURCE_AGENT", status["source"]!.GetValue<string>());
        Assert.Equal(offer["agent_id"]!["value"]!.GetValue<string>(), status["agent_id"]!["value"]!.GetValue<string>());
        Assert.True(status["timestamp"]!.GetValue<double>() > 0);
        await CallAsync("ACKNOWLEDGE", new JsonObject
        {
            ["acknowledge"] = new JsonObject { ["agent_id"] = status["agent_id"]!.DeepClone(), ["task_id"] = status["task_id"]!.DeepClone(), ["uuid"] = status["uuid"]!.DeepClone() },
        });
        await PollValue.UntilAsync(() => Task.FromResult(Update("TASK_FINISHED")), TimeSpan.FromSeconds(20), "UPDATE TASK_FINISHED");
        Assert.Empty(subscriber.FramingErrors);
    }

    [RequiresFact(Component.Postgres)]
    public async Task A_framework_speaking_protobuf_as_mesos_go_does_subscribes_launches_acknowledges_and_is_answered_in_protobuf()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        var agents = await master.AddAgentsAsync(1, faultDomain: ("eu", "eu-1a"));
        agents[0].Behaviour = _ => new SimulatedOutcome(TimeSpan.FromMilliseconds(20), RunFor: TimeSpan.FromMilliseconds(300));

        await using var framework = new RawFramework(master.Gateway, protobuf: true);
        await framework.SubscribeAsync("protobuf", roles: ["*"]);
        var subscribed = framework.Events[0]["subscribed"]!;
        Assert.Equal(master.Gateway.Port, subscribed["master_info"]!["address"]!["port"]!.GetValue<int>());
        Assert.Equal("AGENT_DRAINING", subscribed["master_info"]!["capabilities"]![0]!["type"]!.GetValue<string>());
        var offer = await framework.NextOfferAsync();
        Assert.Equal(4, RawFramework.Scalar(offer, "cpus"));
        Assert.Equal("eu-1a", offer["domain"]!["fault_domain"]!["zone"]!["name"]!.GetValue<string>());
        Assert.True(RawFramework.FirstPort(offer) > 0);

        await framework.LaunchAsync(offer, [("pb", RawFramework.Scalars(1, 64))]);
        await framework.WaitForStateAsync("pb", "TASK_FINISHED");
        var running = framework.Updates("pb").First(u => u["update"]!["status"]!["state"]!.GetValue<string>() == "TASK_RUNNING")["update"]!["status"]!;
        Assert.Equal("SOURCE_AGENT", running["source"]!.GetValue<string>());
        Assert.Equal("pb", running["executor_id"]!["value"]!.GetValue<string>());
        Assert.Equal(16, Convert.FromBase64String(running["uuid"]!.GetValue<string>()).Length);

        // Protobuf acknowledgements reached the agent: it forgets the finished task.
        await Poll.UntilAsync(() => Task.FromResult(agents[0].Tasks.Count == 0), TimeSpan.FromSeconds(10), "the agent forgot the acknowledged task");
        Assert.Empty(framework.Errors);
    }

    [RequiresFact(Component.Postgres)]
    public async Task Media_types_are_negotiated_as_Mesos_does()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var master = await MasterCluster.StartAsync();
        using var http = new HttpClient { BaseAddress = master.Gateway };
        var subscribe = new JsonObject { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = new JsonObject { ["name"] = "n", ["user"] = "u" } } };

        async Task<(HttpStatusCode Status, string Message)> SendAsync(HttpContent content, string? accept = null, string? streamId = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = content };
            if (accept is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
            }

            if (streamId is not null)
            {
                request.Headers.Add("Mesos-Stream-Id", streamId);
            }

            using var response = await http.SendAsync(request);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>());
        }

        var xml = await SendAsync(new StringContent("<call/>", System.Text.Encoding.UTF8, "application/xml"));
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, "a call's Content-Type must be application/json or application/x-protobuf (is application/xml; charset=utf-8)"), xml);

        var text = await SendAsync(JsonContent.Create(subscribe), accept: "text/html");
        Assert.Equal((HttpStatusCode.NotAcceptable, "Accept must allow application/json or application/x-protobuf"), text);

        var withStream = await SendAsync(JsonContent.Create(subscribe), streamId: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.BadRequest, withStream.Status);
        Assert.StartsWith("SUBSCRIBE must not carry the Mesos-Stream-Id header", withStream.Message, StringComparison.Ordinal);

        var garbage = new ByteArrayContent([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]);
        garbage.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
        var bad = await SendAsync(garbage);
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.StartsWith("the body is not a valid protobuf Call: ", bad.Message, StringComparison.Ordinal);

        // A protobuf call missing what Mesos requires is judged by the one codec, naming the field.
        var empty = new ByteArrayContent([0x10, 0x01]); // type = SUBSCRIBE, nothing else
        empty.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
        Assert.Equal((HttpStatusCode.BadRequest, "call.subscribe is required"), await SendAsync(empty));
    }
}
