using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using OrleansDcos.Mesos.Protobuf;
using OrleansDcos.Mesos.Protobuf.Scheduler;

namespace OrleansDcos.Tests.Support.Master;

/// <summary>
/// A Mesos framework written against the raw scheduler HTTP API (RecordIO over a held POST, JSON calls with the
/// Mesos-Stream-Id header) — what an external scheduler does, without the SDK. Keeps every event it receives.
/// Acknowledges updates with a uuid unless told not to.
/// </summary>
public sealed class RawFramework : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentDictionary<string, JsonObject> _offers = new();
    private readonly ConcurrentDictionary<string, string> _taskStates = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private Task? _reader;

    private readonly bool _protobuf;

    /// <param name="gateway">The silo.</param>
    /// <param name="protobuf">Speak <c>application/x-protobuf</c> (calls sent and events asked for in protobuf, as mesos-go
    /// does by default); the events are kept as the JSON they transcode to.</param>
    public RawFramework(Uri gateway, bool protobuf = false)
    {
        _http = new HttpClient { BaseAddress = gateway, Timeout = Timeout.InfiniteTimeSpan };
        _protobuf = protobuf;
    }

    public string? FrameworkId { get; private set; }

    public string? StreamId { get; private set; }

    public bool AutoAcknowledge { get; set; } = true;

    public bool StreamEnded => _reader?.IsCompleted == true;

    public IReadOnlyList<JsonObject> Events => _events.ToArray();

    /// <summary>Calls that failed while handling events (acknowledgements).</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Offers held (received, not rescinded, not used).</summary>
    public IReadOnlyDictionary<string, JsonObject> Offers => _offers;

    /// <summary>The last state seen per task.</summary>
    public IReadOnlyDictionary<string, string> TaskStates => _taskStates;

    public async Task SubscribeAsync(string name, string[]? roles = null, double failoverTimeout = 0, string? frameworkId = null, bool partitionAware = false, string[]? capabilities = null)
    {
        var info = new JsonObject { ["name"] = name, ["user"] = "test", ["failover_timeout"] = failoverTimeout };
        if (roles is not null)
        {
            info["roles"] = new JsonArray(roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray());
            info["capabilities"] = new JsonArray(new JsonObject { ["type"] = "MULTI_ROLE" });
        }

        if (partitionAware)
        {
            (info["capabilities"] ??= new JsonArray()).AsArray().Add(new JsonObject { ["type"] = "PARTITION_AWARE" });
        }

        foreach (var capability in capabilities ?? [])
        {
            (info["capabilities"] ??= new JsonArray()).AsArray().Add(new JsonObject { ["type"] = capability });
        }

        if (frameworkId is not null)
        {
            info["id"] = new JsonObject { ["value"] = frameworkId };
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler")
        {
            Content = Body(new JsonObject { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = info } }),
        };
        request.Headers.Accept.ParseAdd(_protobuf ? MesosProtobuf.MediaType : "application/json");
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"SUBSCRIBE answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        StreamId = response.Headers.GetValues("Mesos-Stream-Id").Single();
        var body = await response.Content.ReadAsStreamAsync(_stop.Token);
        var first = await ReadRecordAsync(body) ?? throw new InvalidOperationException("the stream ended before SUBSCRIBED");
        FrameworkId = first["subscribed"]!["framework_id"]!["value"]!.GetValue<string>();
        _events.Enqueue(first);
        _reader = Task.Run(() => ReadAsync(response, body));
    }

    /// <summary>Closes the event stream (the framework disconnects).</summary>
    public async Task DisconnectAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null)
        {
            await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public Task<HttpResponseMessage> CallAsync(string type, JsonObject? body = null)
    {
        var call = new JsonObject { ["type"] = type, ["framework_id"] = new JsonObject { ["value"] = FrameworkId } };
        if (body is not null)
        {
            call[type.ToLowerInvariant()] = body;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = Body(call) };
        request.Headers.Add("Mesos-Stream-Id", StreamId);
        return _http.SendAsync(request);
    }

    public async Task CallOkAsync(string type, JsonObject? body = null)
    {
        var response = await CallAsync(type, body);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"{type} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Launches tasks (id and resources as a Mesos JSON array; command <c>sleep 1000</c>) on one offer.</summary>
    public Task LaunchAsync(JsonObject offer, IEnumerable<(string TaskId, JsonArray Resources)> tasks, double? refuseSeconds = null) =>
        LaunchTasksAsync(offer, tasks.Select(t => new JsonObject
        {
            ["name"] = t.TaskId,
            ["task_id"] = new JsonObject { ["value"] = t.TaskId },
            ["resources"] = t.Resources,
            ["command"] = new JsonObject { ["value"] = "sleep 1000" },
        }), refuseSeconds);

    /// <summary>Launches Mesos <c>TaskInfo</c>s on one offer (the agent id is filled in from the offer).</summary>
    public Task LaunchTasksAsync(JsonObject offer, IEnumerable<JsonObject> taskInfos, double? refuseSeconds = null)
    {
        var offerId = offer["id"]!["value"]!.GetValue<string>();
        _offers.TryRemove(offerId, out _);
        var infos = new JsonArray();
        foreach (var info in taskInfos)
        {
            info["agent_id"] = offer["agent_id"]!.DeepClone();
            infos.Add(info);
        }

        var accept = new JsonObject
        {
            ["offer_ids"] = new JsonArray(new JsonObject { ["value"] = offerId }),
            ["operations"] = new JsonArray(new JsonObject { ["type"] = "LAUNCH", ["launch"] = new JsonObject { ["task_infos"] = infos } }),
        };
        if (refuseSeconds is { } refuse)
        {
            accept["filters"] = new JsonObject { ["refuse_seconds"] = refuse };
        }

        return CallOkAsync("ACCEPT", accept);
    }

    /// <summary>The lowest port of an offer's <c>ports</c> ranges.</summary>
    public static ulong FirstPort(JsonObject offer) =>
        offer["resources"]!.AsArray().First(r => r!["name"]!.GetValue<string>() == "ports")!["ranges"]!["range"]![0]!["begin"]!.GetValue<ulong>();

    /// <summary>cpus, mem and one port as a Mesos resource array.</summary>
    public static JsonArray ScalarsAndPort(double cpus, double mem, ulong port)
    {
        var resources = Scalars(cpus, mem);
        resources.Add(new JsonObject
        {
            ["name"] = "ports",
            ["type"] = "RANGES",
            ["ranges"] = new JsonObject { ["range"] = new JsonArray(new JsonObject { ["begin"] = port, ["end"] = port }) },
        });
        return resources;
    }

    public Task DeclineAsync(string offerId, double refuseSeconds)
    {
        _offers.TryRemove(offerId, out _);
        return CallOkAsync("DECLINE", new JsonObject
        {
            ["offer_ids"] = new JsonArray(new JsonObject { ["value"] = offerId }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = refuseSeconds },
        });
    }

    /// <summary>SUPPRESS, then decline what is held until the master has no offer out to this framework.</summary>
    public async Task QuiesceAsync(Func<Task<bool>> masterHasOffersForUs)
    {
        await CallOkAsync("SUPPRESS");
        await Poll.UntilAsync(async () =>
        {
            foreach (var offerId in _offers.Keys.ToArray())
            {
                await DeclineAsync(offerId, 0);
            }

            return !await masterHasOffersForUs();
        }, TimeSpan.FromSeconds(10), $"no offers out to {FrameworkId}");
    }

    public static JsonArray Scalars(double cpus, double mem) => new(
        new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = cpus } },
        new JsonObject { ["name"] = "mem", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = mem } });

    public static double Scalar(JsonObject offer, string name) =>
        offer["resources"]!.AsArray().Where(r => r!["name"]!.GetValue<string>() == name).Sum(r => r!["scalar"]!["value"]!.GetValue<double>());

    /// <summary>An offer held (with at least <paramref name="minCpus"/> cpus), waiting for one to come.</summary>
    public Task<JsonObject> NextOfferAsync(TimeSpan? timeout = null, double minCpus = 0) => PollValue.UntilAsync(
        () => Task.FromResult(_offers.Values.FirstOrDefault(o => Scalar(o, "cpus") >= minCpus)), timeout ?? TimeSpan.FromSeconds(20), $"an offer for {FrameworkId}");

    /// <summary>An offer held that <paramref name="matches"/>, waiting for one to come.</summary>
    public Task<JsonObject> OfferWhereAsync(Func<JsonObject, bool> matches, string what, TimeSpan? timeout = null) => PollValue.UntilAsync(
        () => Task.FromResult(_offers.Values.FirstOrDefault(matches)), timeout ?? TimeSpan.FromSeconds(20), $"an offer for {FrameworkId} {what}");

    /// <summary>ACCEPT of one offer with any operations (RESERVE, CREATE, LAUNCH …); the answer's status and body.</summary>
    public async Task<(HttpStatusCode Status, string Body)> AcceptAsync(JsonObject offer, JsonArray operations, double refuseSeconds = 0)
    {
        _offers.TryRemove(offer["id"]!["value"]!.GetValue<string>(), out _);
        using var answer = await CallAsync("ACCEPT", new JsonObject
        {
            ["offer_ids"] = new JsonArray(offer["id"]!.DeepClone()),
            ["operations"] = operations,
            ["filters"] = new JsonObject { ["refuse_seconds"] = refuseSeconds },
        });
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until the task's latest state is <paramref name="state"/>.</summary>
    public Task WaitForStateAsync(string taskId, string state, TimeSpan? timeout = null) => Poll.UntilAsync(
        () => Task.FromResult(_taskStates.TryGetValue(taskId, out var s) && s == state), timeout ?? TimeSpan.FromSeconds(20),
        () => $"task {taskId} {state} (is {_taskStates.GetValueOrDefault(taskId) ?? "unknown"}: {Updates(taskId).LastOrDefault()?["update"]?["status"]?.ToJsonString()}; errors: {string.Join(" | ", _errors)})");

    /// <summary>Waits until the task was reported <paramref name="state"/> at least once (later updates may follow).</summary>
    public Task WaitForUpdateAsync(string taskId, string state, TimeSpan? timeout = null) => Poll.UntilAsync(
        () => Task.FromResult(Updates(taskId).Any(u => u["update"]!["status"]!["state"]!.GetValue<string>() == state)), timeout ?? TimeSpan.FromSeconds(20),
        () => $"an update {state} of task {taskId} (saw {string.Join(", ", Updates(taskId).Select(u => u["update"]!["status"]!["state"]!.GetValue<string>()))})");

    public IEnumerable<JsonObject> Updates(string taskId) => Events.Where(e => e["type"]!.GetValue<string>() == "UPDATE"
        && e["update"]!["status"]!["task_id"]!["value"]!.GetValue<string>() == taskId);

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        _http.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream body)
    {
        using (response)
        {
            try
            {
                while (await ReadRecordAsync(body) is { } record)
                {
                    _events.Enqueue(record);
                    await OnEventAsync(record);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
            {
                // Disconnected.
            }
        }
    }

    private async Task OnEventAsync(JsonObject record)
    {
        switch (record["type"]!.GetValue<string>())
        {
            case "OFFERS":
                foreach (var offer in record["offers"]!["offers"]!.AsArray())
                {
                    _offers[offer!["id"]!["value"]!.GetValue<string>()] = offer.AsObject();
                }

                break;
            case "RESCIND":
                _offers.TryRemove(record["rescind"]!["offer_id"]!["value"]!.GetValue<string>(), out _);
                break;
            case "UPDATE":
                var status = record["update"]!["status"]!;
                var taskId = status["task_id"]!["value"]!.GetValue<string>();
                _taskStates[taskId] = status["state"]!.GetValue<string>();
                if (AutoAcknowledge && status["uuid"] is { } uuid && status["agent_id"] is { } agent)
                {
                    try
                    {
                        await CallOkAsync("ACKNOWLEDGE", new JsonObject
                        {
                            ["agent_id"] = agent.DeepClone(),
                            ["task_id"] = new JsonObject { ["value"] = taskId },
                            ["uuid"] = uuid.GetValue<string>(),
                        });
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException)
                    {
                        _errors.Enqueue(ex.Message);
                    }
                }

                break;
        }
    }

    /// <summary>A call's body: its JSON, or the protobuf <c>Call</c> it transcodes to.</summary>
    private HttpContent Body(JsonObject call)
    {
        if (!_protobuf)
        {
            return new StringContent(call.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var content = new ByteArrayContent(MesosProtobuf.FromJson<Call>(call).ToByteArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(MesosProtobuf.MediaType);
        return content;
    }

    /// <summary>One RecordIO record: a decimal length, a newline, that many bytes of JSON (or protobuf, kept as its JSON).</summary>
    private async Task<JsonObject?> ReadRecordAsync(Stream body)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            if (await body.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            if (one[0] == (byte)'\n')
            {
                break;
            }

            length = length * 10 + (one[0] - '0');
        }

        var buffer = new byte[length];
        await body.ReadExactlyAsync(buffer, _stop.Token);
        return _protobuf ? MesosProtobuf.ToJson(Event.Parser.ParseFrom(buffer)) : JsonNode.Parse(buffer)!.AsObject();
    }
}
