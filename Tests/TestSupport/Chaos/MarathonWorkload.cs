using System.Net;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// Keeps Marathon busy: creates apps (a real HTTP server, <c>busybox httpd</c>, with a MESOS_HTTP health check, or a
/// sleeper with a COMMAND check; constraints on hostname or rack; a rolling upgrade strategy), scales them, restarts
/// them and destroys them, each write sent to a random live silo and kept in <see cref="Writes"/> with its outcome.
/// </summary>
public sealed class MarathonWorkload(ChaosHttp http, Random random)
{
    /// <summary>The upgrade strategy every app has: at most this share over the target while deploying.</summary>
    public const double MaximumOverCapacity = 0.5;

    private const int MaxApps = 6;
    private readonly List<AppWrite> _writes = [];
    private readonly List<string> _live = [];
    private int _next;

    /// <summary>Every write sent, in order.</summary>
    public IReadOnlyList<AppWrite> Writes
    {
        get
        {
            lock (_writes)
            {
                return [.. _writes];
            }
        }
    }

    /// <summary>Sends one write: a create when there are few apps, else a scale, rolling restart or destroy.</summary>
    public async Task StepAsync()
    {
        double roll;
        lock (random)
        {
            roll = random.NextDouble();
        }

        if (_live.Count < 3 || (_live.Count < MaxApps && roll < 0.25))
        {
            await CreateAsync();
        }
        else if (roll < 0.6)
        {
            await ScaleAsync(Pick());
        }
        else if (roll < 0.85)
        {
            await RestartAsync(Pick());
        }
        else
        {
            await DeleteAsync(Pick());
        }
    }

    private string Pick()
    {
        lock (random)
        {
            return _live[random.Next(_live.Count)];
        }
    }

    private int Instances()
    {
        lock (random)
        {
            return random.Next(1, 4);
        }
    }

    private async Task CreateAsync()
    {
        var n = _next++;
        var id = $"/chaos/app-{n:000}";
        var instances = Instances();
        var served = n % 2 == 0;
        var app = new JsonObject
        {
            ["id"] = id,
            ["cmd"] = served ? "exec busybox httpd -f -p 127.0.0.1:$PORT0 -h /etc" : "exec sleep 100000",
            ["instances"] = instances,
            ["cpus"] = 0.02,
            ["mem"] = 16,
            ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
            ["constraints"] = n % 3 == 0
                ? new JsonArray(new JsonArray("rack", "GROUP_BY"))
                : new JsonArray(new JsonArray("hostname", "UNIQUE")),
            ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 0.5, ["maximumOverCapacity"] = MaximumOverCapacity },
            ["healthChecks"] = new JsonArray(served
                ? new JsonObject { ["protocol"] = "MESOS_HTTP", ["path"] = "/hostname", ["portIndex"] = 0, ["gracePeriodSeconds"] = 20, ["intervalSeconds"] = 2, ["timeoutSeconds"] = 2, ["maxConsecutiveFailures"] = 3 }
                : new JsonObject { ["protocol"] = "COMMAND", ["command"] = new JsonObject { ["value"] = "true" }, ["gracePeriodSeconds"] = 20, ["intervalSeconds"] = 2, ["timeoutSeconds"] = 2, ["maxConsecutiveFailures"] = 3 }),
        };
        var write = await SendAsync(id, "create", instances, HttpMethod.Post, "/v2/apps", app);
        if (write.Acknowledged || write.Unknown)
        {
            _live.Add(id);
        }
    }

    private async Task ScaleAsync(string id)
    {
        var instances = Instances();
        await SendAsync(id, "scale", instances, HttpMethod.Put, $"/v2/apps{id}?force=true", new JsonObject { ["instances"] = instances });
    }

    private Task RestartAsync(string id) =>
        SendAsync(id, "restart", LastInstances(id), HttpMethod.Post, $"/v2/apps{id}/restart?force=true", null);

    private async Task DeleteAsync(string id)
    {
        await SendAsync(id, "delete", 0, HttpMethod.Delete, $"/v2/apps{id}?force=true", null);
        _live.Remove(id);
    }

    private int LastInstances(string id)
    {
        lock (_writes)
        {
            return _writes.LastOrDefault(w => w.AppId == id && w.Kind is "create" or "scale")?.Instances ?? 1;
        }
    }

    private async Task<AppWrite> SendAsync(string id, string kind, int instances, HttpMethod method, string path, JsonNode? body)
    {
        var sentAt = DateTimeOffset.UtcNow;
        var (status, answer, text) = await http.SendAsync(method, path, body);
        var version = answer is JsonObject o && o["version"] is JsonValue v ? v.GetValue<string>() : null;
        var write = new AppWrite(id, kind, instances, sentAt, (int)status, version, text.Length > 300 ? text[..300] : text);
        lock (_writes)
        {
            _writes.Add(write);
        }

        if (status is HttpStatusCode.NotFound && kind != "create")
        {
            // Marathon no longer knows an app the soak thinks it has: the end checks judge it; stop writing to it.
            _live.Remove(id);
        }

        return write;
    }
}
