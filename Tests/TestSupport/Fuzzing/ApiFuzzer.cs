using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrleansDcos.Tests.Support.Fuzzing;

/// <summary>
/// Sends mutated requests to every route of a running silo (login off; no agent, so nothing a request describes ever
/// runs): valid bodies mutated by <see cref="JsonMutator"/>, wrong methods and content types, truncated and oversized
/// bodies, path tricks. Every answer must be below 500, and a batch of requests that were all refused must leave the
/// cluster's state (apps, groups, pods, jobs, weights, quota, users, secrets, repositories) as it was.
/// </summary>
public sealed partial class ApiFuzzer(HttpClient http, int seed)
{
    /// <summary>Routes left out: they make the silo reach out (callback URLs, repository URIs) to addresses a fuzzed body could name.</summary>
    private static readonly HashSet<string> Excluded = ["POST /v2/eventSubscriptions", "POST /package/repository/add", "GET /v2/events", "POST /api/v1/scheduler"];

    /// <summary>Bodies larger than this may be cut off by the silo's early refusal: it answers before reading a body it does not want, and closes.</summary>
    private const long EarlyAnswerBytes = 64 * 1024;

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private static readonly string[] ContentTypes = ["application/json", "text/plain", "application/x-www-form-urlencoded", "application/x-protobuf", "", "application/json; charset=utf-16"];

    private static readonly string[] PathValues =
    [
        "team/web", "x", "../x", "%2e%2e/%2e%2e/x", "a//b", "a/b/tasks/t1", "a::status", "a/versions/2020", new string('a', 3000),
        "é漢字", "%00", "*", "a/*", "..", "a%2Fb", "a/restart", "a/delay", "a::instances/i1",
    ];

    /// <summary>What a refused request must not change: apps, groups, pods, jobs, weights, quota, users, secrets, join tokens.</summary>
    private static readonly string[] StatePaths = ["/v2/apps", "/v2/groups", "/v2/pods", "/v1/scheduler/jobs", "/weights", "/quota", "/acs/api/v1/users",
        "/secrets/v1/secret/default/?list=true", "/acs/api/v1/join-tokens"];

    private static readonly string[] RestoredPaths = [.. StatePaths.Except(["/weights", "/acs/api/v1/join-tokens"])];

    private readonly Random _random = new(seed);

    /// <summary>Seeds valid objects (apps, a group, a pod, jobs, a secret, a user) so routes about them find something.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var (method, path, body) in Seeds())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
            using var response = await http.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// Removes what the requests made — apps, groups and pods, jobs, users, secrets, join tokens, quota — waits for the
    /// deployments that makes, and seeds again: the cluster as <see cref="SeedAsync"/> left it, so that the memory the
    /// silo keeps afterwards can be set against the same state. What is left of it, if anything: none when restored.
    /// </summary>
    public async Task<string?> RestoreAsync(string seeded, CancellationToken cancellationToken)
    {
        var root = await GetJsonAsync("/v2/groups", cancellationToken);
        foreach (var (kind, path) in new[] { ("apps", "/v2/apps"), ("groups", "/v2/groups"), ("pods", "/v2/pods") })
        {
            foreach (var item in root[kind]!.AsArray())
            {
                await DeleteAsync($"{path}{Escaped(item!["id"]!.GetValue<string>())}?force=true", cancellationToken);
            }
        }

        foreach (var job in (await GetJsonAsync("/v1/scheduler/jobs", cancellationToken)).AsArray())
        {
            await DeleteAsync("/v1/scheduler/job/" + Uri.EscapeDataString(job!["name"]!.GetValue<string>()), cancellationToken);
        }

        foreach (var (list, delete, key) in new[] { ("/acs/api/v1/users", "/acs/api/v1/users/", "uid"), ("/acs/api/v1/join-tokens", "/acs/api/v1/join-tokens/", "id") })
        {
            foreach (var item in (await GetJsonAsync(list, cancellationToken))["array"]!.AsArray())
            {
                await DeleteAsync(delete + Uri.EscapeDataString(item![key]!.GetValue<string>()), cancellationToken);
            }
        }

        foreach (var secret in (await GetJsonAsync("/secrets/v1/secret/default/?list=true", cancellationToken))["array"]!.AsArray())
        {
            await DeleteAsync("/secrets/v1/secret/default" + Escaped("/" + secret!.GetValue<string>()), cancellationToken);
        }

        foreach (var quota in (await GetJsonAsync("/quota", cancellationToken))["infos"]!.AsArray())
        {
            await DeleteAsync("/quota/" + Uri.EscapeDataString(quota!["role"]!.GetValue<string>()), cancellationToken);
        }

        await Poll.UntilAsync(async () => (await GetJsonAsync("/v2/deployments", cancellationToken)).AsArray().Count == 0,
            TimeSpan.FromSeconds(60), "the restore's deployments done", TimeSpan.FromMilliseconds(200));

        await SeedAsync(cancellationToken);
        var now = Timeless(await StateAsync(cancellationToken));
        return now == Timeless(seeded) ? null : Cut(Diff(Timeless(seeded), now), 2000);
    }

    /// <summary>
    /// The state <see cref="RestoreAsync"/> puts back and compares: <see cref="StatePaths"/> less weights (a role's weight
    /// can be changed, not removed) and join tokens (a deleted token is revoked, and listed until it expires).
    /// </summary>
    public Task<string> StateAsync(CancellationToken cancellationToken) => StateAsync(new FuzzReport(), [], cancellationToken, RestoredPaths);

    private async Task<JsonNode> GetJsonAsync(string path, CancellationToken cancellationToken) =>
        JsonNode.Parse(await http.GetStringAsync(path, cancellationToken)) ?? throw new InvalidOperationException($"GET {path} answered null");

    private async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException($"DELETE {path} answered {(int)response.StatusCode}: {Cut(await response.Content.ReadAsStringAsync(cancellationToken), 300)}");
        }
    }

    /// <summary>A Marathon id as a URL path: each segment escaped.</summary>
    private static string Escaped(string id) => string.Join('/', id.Split('/').Select(Uri.EscapeDataString));

    private static string Timeless(string state) => Timestamp().Replace(state, "");

    /// <summary>
    /// Sends <paramref name="count"/> requests over <paramref name="routes"/> (method, pattern); checks the state around
    /// refused batches. Counts into <paramref name="into"/> when given (a run in parts), else into a new report.
    /// </summary>
    public async Task<FuzzReport> RunAsync(IReadOnlyList<(string Method, string Pattern)> routes, int count, CancellationToken cancellationToken, FuzzReport? into = null)
    {
        var report = into ?? new FuzzReport();
        var usable = routes.Where(r => !Excluded.Contains($"{r.Method} {r.Pattern}") && !r.Pattern.StartsWith("/dashboard", StringComparison.Ordinal)).ToList();
        const int Batch = 50;
        List<string> lastLines = [];
        for (var sent = 0; sent < count;)
        {
            var before = await StateAsync(report, lastLines, cancellationToken);
            var allRefused = true;
            var lines = new List<string>();
            for (var i = 0; i < Batch && sent < count; i++, sent++)
            {
                var (method, pattern) = usable[_random.Next(usable.Count)];
                using var request = Request(method, pattern);
                var line = $"{request.Method} {request.RequestUri} ({request.Content?.Headers.ContentType}; {request.Content?.Headers.ContentLength ?? 0} bytes)";
                report.Requests++;
                report.ByRoute[$"{method} {pattern}"] = report.ByRoute.GetValueOrDefault($"{method} {pattern}") + 1;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    var status = (int)response.StatusCode;
                    var text = request.Method == HttpMethod.Head ? "" : await ReadSomeAsync(response, timeout.Token);
                    if (status >= 500)
                    {
                        report.ServerErrors.Add($"{status} for {line}: {Cut(text, 300)}");
                    }

                    if (status < 400)
                    {
                        report.Accepted++;
                        allRefused = false;
                    }
                    else
                    {
                        report.Refused++;
                    }

                    lines.Add($"{status} {line}");
                }
                catch (HttpRequestException) when (request.Content?.Headers.ContentLength > EarlyAnswerBytes)
                {
                    // A body far past the route's limit: the silo answered (413) and closed before it was all sent.
                    report.Refused++;
                    report.ClosedEarly++;
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    report.NoAnswer.Add($"{line}: {ex.Message}");
                    allRefused = false;
                }
            }

            lastLines = lines;
            if (allRefused && await StateAsync(report, lines, cancellationToken) is var after && after != before)
            {
                report.StateChangedByRefused.Add($"after refused requests {string.Join(" | ", lines.TakeLast(10))}: state was {Cut(Diff(before, after), 600)}");
            }
        }

        return report;
    }

    private HttpRequestMessage Request(string method, string pattern)
    {
        var path = Parameter().Replace(pattern, m => m.Value.StartsWith("{**", StringComparison.Ordinal) || _random.Next(3) == 0
            ? PathValues[_random.Next(PathValues.Length)]
            : m.Value.Trim('{', '}', '*') switch
            {
                "name" => "nightly",
                "uid" => "alice",
                "store" => "default",
                "rid" => "marathon:app:%2Fteam%2F*",
                "action" => "read",
                _ => "x",
            });
        if (_random.Next(10) == 0)
        {
            method = Methods[_random.Next(Methods.Length)]; // a wrong method now and then
        }

        var query = _random.Next(4) switch
        {
            0 => "?force=true",
            1 => "?embed=apps.tasks&embed=group.apps&label=a==b",
            2 => "?list=true&after=-1&limit=99999999",
            _ => "",
        };
        var request = new HttpRequestMessage(new HttpMethod(method), path + query);
        if (method is "POST" or "PUT" or "PATCH" || _random.Next(20) == 0)
        {
            var text = _random.Next(400) == 0 ? JsonMutator.Oversized(70 * 1024 * 1024)
                : _random.Next(40) == 0 ? JsonMutator.Oversized(2 * 1024 * 1024)
                : JsonMutator.Mutate(SeedFor(pattern), _random);
            var contentType = _random.Next(8) == 0 ? ContentTypes[_random.Next(ContentTypes.Length)] : "application/json";
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = contentType.Length == 0 ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        return request;
    }

    /// <summary>A valid body of the kind <paramref name="pattern"/> takes.</summary>
    private static JsonNode SeedFor(string pattern) => pattern switch
    {
        _ when pattern.StartsWith("/v2/apps", StringComparison.Ordinal) => App("/team/web"),
        _ when pattern.StartsWith("/v2/groups", StringComparison.Ordinal) => new JsonObject { ["id"] = "/team", ["apps"] = new JsonArray(App("/team/api")) },
        _ when pattern.StartsWith("/v2/pods", StringComparison.Ordinal) => Pod(),
        "/v2/tasks/delete" => new JsonObject { ["ids"] = new JsonArray("team_web.1") },
        _ when pattern.StartsWith("/v1/scheduler", StringComparison.Ordinal) => Job(),
        "/weights" => new JsonArray(new JsonObject { ["role"] = "team", ["weight"] = 2.0 }),
        "/quota" => new JsonObject { ["role"] = "team", ["guarantee"] = new JsonArray(new JsonObject { ["name"] = "cpus", ["type"] = "SCALAR", ["scalar"] = new JsonObject { ["value"] = 1 } }) },
        "/api/v1" => new JsonObject { ["type"] = "UPDATE_WEIGHTS", ["update_weights"] = new JsonObject { ["weight_infos"] = new JsonArray(new JsonObject { ["role"] = "team", ["weight"] = 2.0 }) } },
        _ when pattern.StartsWith("/secrets", StringComparison.Ordinal) => new JsonObject { ["value"] = "s3cret" },
        _ when pattern.StartsWith("/acs/api/v1/users", StringComparison.Ordinal) => new JsonObject { ["password"] = "password-123", ["description"] = "d" },
        _ when pattern.StartsWith("/acs/api/v1/join-tokens", StringComparison.Ordinal) => new JsonObject { ["id"] = "rack-1", ["uses"] = 2, ["expires_in_seconds"] = 600 },
        "/acs/api/v1/auth/login" => new JsonObject { ["uid"] = "alice", ["password"] = "password-123" },
        _ when pattern.StartsWith("/package", StringComparison.Ordinal) || pattern.StartsWith("/cosmos", StringComparison.Ordinal)
            => new JsonObject { ["packageName"] = "hello-web", ["appId"] = "/hello", ["options"] = new JsonObject() },
        _ => new JsonObject { ["id"] = "x" },
    };

    private static IEnumerable<(string Method, string Path, JsonNode Body)> Seeds() =>
    [
        ("POST", "/v2/apps", App("/team/web")),
        ("POST", "/v2/groups", new JsonObject { ["id"] = "/team2", ["apps"] = new JsonArray(App("/team2/api")) }),
        ("POST", "/v2/pods", Pod()),
        ("POST", "/v1/scheduler/iso8601", Job()),
        ("PUT", "/secrets/v1/secret/default/team/web", new JsonObject { ["value"] = "s3cret" }),
        ("PUT", "/acs/api/v1/users/alice", new JsonObject { ["password"] = "password-123" }),
    ];

    private static JsonObject App(string id) => new()
    {
        ["id"] = id,
        ["cmd"] = "sleep 600",
        ["cpus"] = 0.1,
        ["mem"] = 16,
        ["instances"] = 0,
        ["env"] = new JsonObject { ["A"] = "b" },
        ["labels"] = new JsonObject { ["HAPROXY_GROUP"] = "external" },
        ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
        ["healthChecks"] = new JsonArray(new JsonObject { ["protocol"] = "MESOS_HTTP", ["path"] = "/", ["portIndex"] = 0 }),
        ["constraints"] = new JsonArray(new JsonArray("hostname", "UNIQUE")),
        ["upgradeStrategy"] = new JsonObject { ["minimumHealthCapacity"] = 1, ["maximumOverCapacity"] = 1 },
    };

    private static JsonObject Pod() => new()
    {
        ["id"] = "/team/pod",
        ["scaling"] = new JsonObject { ["kind"] = "fixed", ["instances"] = 0 },
        ["containers"] = new JsonArray(new JsonObject
        {
            ["name"] = "main",
            ["exec"] = new JsonObject { ["command"] = new JsonObject { ["shell"] = "sleep 600" } },
            ["resources"] = new JsonObject { ["cpus"] = 0.1, ["mem"] = 16 },
        }),
    };

    private static JsonObject Job() => new()
    {
        ["name"] = "nightly",
        ["command"] = "true",
        ["schedule"] = "R/2030-01-01T00:00:00Z/PT24H",
        ["owner"] = "ops@example.com",
        ["cpus"] = 0.1,
        ["mem"] = 16,
        ["environmentVariables"] = new JsonArray(new JsonObject { ["name"] = "A", ["value"] = "b" }),
    };

    /// <summary>What a refused request must not change, as text.</summary>
    /// <remarks>A read that fails (5xx) after some requests were taken means they left state the API cannot show: a violation, with the requests.</remarks>
    private async Task<string> StateAsync(FuzzReport report, IReadOnlyList<string> since, CancellationToken cancellationToken, IReadOnlyList<string>? paths = null)
    {
        var text = new StringBuilder();
        foreach (var path in paths ?? StatePaths)
        {
            using var response = await http.GetAsync(path, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if ((int)response.StatusCode >= 500)
            {
                report.ServerErrors.Add($"{(int)response.StatusCode} for the state read GET {path} after {string.Join(" | ", since.TakeLast(50))}: {Cut(body, 200)}");
            }

            text.Append(path).Append(' ').Append((int)response.StatusCode).Append(' ').AppendLine(Volatile().Replace(body, ""));
        }

        return text.ToString();
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static string Diff(string before, string after)
    {
        var a = before.Split('\n');
        var b = after.Split('\n');
        return string.Join(" / ", a.Zip(b).Where(p => p.First != p.Second).Select(p => $"{Cut(p.First, 200)} → {Cut(p.Second, 200)}"));
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();

    // ISO 8601 times: versions, creation and expiry times.
    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")]
    private static partial Regex Timestamp();

    // Counters and times that move by themselves (task stats, last-used times).
    [GeneratedRegex("\"(lastScalingAt|lastConfigChangeAt|nextDue|nextRun|lastRun|timeLeftSeconds|since)\":\"?[^,\"}]*\"?")]
    private static partial Regex Volatile();
}
