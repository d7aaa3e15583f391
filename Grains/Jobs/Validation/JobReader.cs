using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Scheduling.Constraints;
using OrleansDcos.Scheduling.Jobs;

namespace OrleansDcos.Grains.Jobs.Validation;

/// <summary>
/// Reads a Chronos job from JSON (<c>POST /v1/scheduler/iso8601</c> or <c>/dependency</c>) into a
/// <see cref="JobDefinition"/> with Chronos' defaults, collecting an error for every bad field (its JSON path and what is
/// wrong). A scheduled job needs <c>schedule</c> and no <c>parents</c>, a dependent job the reverse; unknown fields,
/// what the agents here cannot run (a non-HOST network, an image not tagged <c>local/…</c>) and values beyond the
/// limits are errors that say so; fields Chronos only writes (its counts and last runs) are ignored, so a GET answer
/// can be posted back. Pure: the time an empty schedule start means is passed in.
/// </summary>
public sealed partial class JobReader
{
    /// <summary>The longest command, description or owner text read.</summary>
    public const int MaxText = 64 * 1024;

    /// <summary>The most parents, arguments, variables, constraints or fetched URIs of one job.</summary>
    public const int MaxItems = 256;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "name", "command", "shell", "arguments", "schedule", "scheduleTimeZone", "parents", "epsilon", "retries", "owner",
        "ownerName", "description", "async", "cpus", "mem", "disk", "disabled", "concurrent", "container", "environmentVariables",
        "constraints", "maxCompletionTime", "uris", "fetch", "highPriority", "softError", "dataProcessingJobType", "runAsUser", "labels",
    };

    /// <summary>What Chronos writes about a job and ignores when it is sent back.</summary>
    private static readonly HashSet<string> OutputOnly = new(StringComparer.Ordinal)
    {
        "successCount", "errorCount", "lastSuccess", "lastError", "errorsSinceLastSuccess", "executor", "executorFlags",
        "taskInfoData", "lastRun", "nextRun", "nextDue", "status", "state",
    };

    private static readonly InstantPattern InstantMilliseconds = InstantPattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss.fff'Z'");
    private static readonly LocalDateTimePattern LocalMilliseconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss.fff");

    private readonly List<ApiErrorDetail> _errors = [];

    /// <summary>Which endpoint a job came to.</summary>
    public enum Kind
    {
        /// <summary><c>POST /iso8601</c>: a job with a schedule.</summary>
        Scheduled,

        /// <summary><c>POST /dependency</c>: a job with parents.</summary>
        Dependent,
    }

    /// <summary>Reads one job; throws <see cref="JobValidationException"/> naming every bad field.</summary>
    public static JobDefinition Read(JsonNode? node, Kind kind, Instant now)
    {
        var reader = new JobReader();
        var job = reader.ReadJob(node, kind, now);
        return reader._errors.Count == 0 && job is not null ? job : throw new JobValidationException(reader._errors);
    }

    private JobDefinition? ReadJob(JsonNode? node, Kind kind, Instant now)
    {
        if (node is not JsonObject json)
        {
            Error("/", "expected a JSON object (a Chronos job)");
            return null;
        }

        foreach (var (name, _) in json)
        {
            if (!Known.Contains(name) && !OutputOnly.Contains(name))
            {
                Error($"/{name}", "unknown field");
            }
        }

        var name1 = Text(json, "name", required: true) ?? "";
        // An empty name was let through once and its job then broke every listing (the fuzzer found it).
        if (json["name"] is not null && (name1.Length is 0 or > 128 || !NamePattern().IsMatch(name1)))
        {
            Error("/name", "a job name is 1 to 128 letters, digits, '_', '.' or '-'");
        }

        var container = ReadContainer(json["container"]);
        var command = Text(json, "command", required: container?.Image is null) ?? "";
        var shell = Bool(json, "shell") ?? true;
        var arguments = Strings(json, "arguments");
        if (shell && command.Length == 0 && container?.Image is null)
        {
            Error("/command", "a shell job needs a command");
        }

        var schedule = Text(json, "schedule", required: false);
        var zone = Text(json, "scheduleTimeZone", required: false);
        var parents = Strings(json, "parents");
        switch (kind)
        {
            case Kind.Scheduled when schedule is null:
                Error("/schedule", "a scheduled job (POST /iso8601) needs a schedule: R[n]/[start]/period or a cron expression");
                break;
            case Kind.Scheduled when parents is { Count: > 0 }:
                Error("/parents", "a scheduled job has no parents (post a job with parents to /dependency)");
                break;
            case Kind.Dependent when parents is not { Count: > 0 }:
                Error("/parents", "a dependent job (POST /dependency) needs at least one parent");
                break;
            case Kind.Dependent when schedule is not null:
                Error("/schedule", "a dependent job runs after its parents and has no schedule");
                break;
        }

        if (parents?.FirstOrDefault(p => !NamePattern().IsMatch(p)) is { } badParent)
        {
            Error("/parents", $"'{badParent}' is not a job name");
        }

        var validZone = zone;
        if (zone is not null)
        {
            try
            {
                JobZones.Find(zone);
            }
            catch (JobScheduleException ex)
            {
                Error("/scheduleTimeZone", ex.Message);
                validZone = null;
            }
        }

        if (schedule is not null)
        {
            schedule = NormalizedSchedule(schedule, validZone, now);
        }

        var epsilon = Text(json, "epsilon", required: false) ?? JobDefinition.DefaultEpsilon;
        if (JobEpsilon.Parse(epsilon) is null)
        {
            Error("/epsilon", "epsilon is an ISO 8601 duration from PT0S to P7D (e.g. PT60S, PT5M)");
        }

        var job = new JobDefinition(
            name1,
            command,
            shell,
            arguments,
            schedule,
            zone,
            parents,
            epsilon,
            Retries: (int)(Number(json, "retries", 0, 100, whole: true) ?? 2),
            Owner: Text(json, "owner", required: false) ?? "",
            OwnerName: Text(json, "ownerName", required: false) ?? "",
            Description: Text(json, "description", required: false) ?? "",
            Async: Bool(json, "async") ?? false,
            Cpus: Number(json, "cpus", 0.001, 1024) ?? 0.1,
            Mem: Number(json, "mem", 1, 1 << 24) ?? 128,
            Disk: Number(json, "disk", 0, 1 << 30) ?? 256,
            Disabled: Bool(json, "disabled") ?? false,
            Concurrent: Bool(json, "concurrent") ?? false,
            Container: container,
            EnvironmentVariables: ReadVariables(json["environmentVariables"]),
            Constraints: ReadConstraints(json["constraints"]),
            MaxCompletionTimeMs: (long)(Number(json, "maxCompletionTime", 0, TimeSpan.FromDays(365).TotalMilliseconds, whole: true) ?? 0),
            Fetch: ReadFetch(json),
            HighPriority: Bool(json, "highPriority") ?? false,
            SoftError: Bool(json, "softError") ?? false,
            DataProcessingJobType: Bool(json, "dataProcessingJobType") ?? false,
            RunAsUser: Text(json, "runAsUser", required: false),
            Labels: ReadLabels(json["labels"]));
        return job;
    }

    /// <summary>The schedule as kept (its zone already judged): an interval's empty start filled with <paramref name="now"/> (as Chronos does); refused when it cannot be read.</summary>
    private string NormalizedSchedule(string schedule, string? zone, Instant now)
    {
        try
        {
            JobSchedule.Parse(schedule, zone, now);
        }
        catch (JobScheduleException ex)
        {
            Error("/schedule", ex.Message);
            return schedule;
        }

        var parts = schedule.Trim().Split('/');
        if (parts.Length == 3 && parts[0].StartsWith('R') && parts[1].Length == 0)
        {
            // To the millisecond, as Chronos writes times (a run's task id names its due time in milliseconds).
            var whole = Instant.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
            var start = zone is null
                ? InstantMilliseconds.Format(whole)
                : LocalMilliseconds.Format(whole.InZone(JobZones.Find(zone)).LocalDateTime);
            return $"{parts[0]}/{start}/{parts[2]}";
        }

        return schedule.Trim();
    }

    private JobContainer? ReadContainer(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject json)
        {
            Error("/container", "expected an object");
            return null;
        }

        foreach (var (name, _) in json)
        {
            if (name is not ("type" or "image" or "network" or "forcePullImage" or "volumes"))
            {
                Error($"/container/{name}", name is "parameters" ? "docker parameters are not supported" : "unknown field");
            }
        }

        var type = (Text(json, "type", required: false, "/container") ?? "DOCKER").ToUpperInvariant();
        if (type is not ("DOCKER" or "MESOS"))
        {
            Error("/container/type", "must be DOCKER or MESOS");
        }

        var image = Text(json, "image", required: type == "DOCKER", "/container");
        if (type == "DOCKER" && image is { Length: > 0 } && !image.StartsWith("local/", StringComparison.Ordinal))
        {
            Error("/container/image", "only images built on the agents are run here: tag them local/… (nothing is pulled from a registry)");
        }

        if (type == "MESOS" && image is not null)
        {
            Error("/container/image", "a MESOS container runs the command as a process: an image needs type DOCKER");
        }

        var network = (Text(json, "network", required: false, "/container") ?? "HOST").ToUpperInvariant();
        if (network != "HOST")
        {
            Error("/container/network", $"network {network} is not supported: jobs use the agent's network (HOST)");
        }

        var volumes = new List<JobVolume>();
        if (json["volumes"] is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var at = $"/container/volumes/{i}";
                if (array[i] is not JsonObject v)
                {
                    Error(at, "expected an object");
                    continue;
                }

                var mode = (Text(v, "mode", required: false, at) ?? "RW").ToUpperInvariant();
                if (mode is not ("RW" or "RO"))
                {
                    Error($"{at}/mode", "must be RW or RO");
                }

                var host = Text(v, "hostPath", required: true, at) ?? "";
                var inside = Text(v, "containerPath", required: true, at) ?? "";
                if (!host.StartsWith('/') || !inside.StartsWith('/'))
                {
                    Error(at, "hostPath and containerPath are absolute paths");
                }

                volumes.Add(new JobVolume(inside, host, mode));
            }
        }
        else if (json["volumes"] is not null)
        {
            Error("/container/volumes", "expected an array");
        }

        return new JobContainer(type, image, network, Bool(json, "forcePullImage", "/container") ?? false, volumes);
    }

    private List<JobVariable>? ReadVariables(JsonNode? node) => Items(node, "/environmentVariables", (item, at) =>
    {
        if (item is not JsonObject v || Text(v, "name", required: true, at) is not { Length: > 0 } name)
        {
            return Refuse<JobVariable>(at, "expected {\"name\", \"value\"} or {\"name\", \"secret\": path}");
        }

        if (Text(v, "secret", required: false, at) is not { } secret)
        {
            return new JobVariable(name, Text(v, "value", required: false, at) ?? "");
        }

        if (v["value"] is not null)
        {
            return Refuse<JobVariable>(at, "a variable takes a value or a secret, not both");
        }

        return Scheduling.Security.SecretPaths.Normalize(secret, out var problem) is null
            ? Refuse<JobVariable>($"{at}/secret", problem!)
            : new JobVariable(name, "", secret);
    });

    private List<IReadOnlyList<string>>? ReadConstraints(JsonNode? node) => Items(node, "/constraints", (item, at) =>
    {
        if (item is not JsonArray c || c.Count != 3 || c.Any(x => x is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            return Refuse<IReadOnlyList<string>>(at, "expected [attribute, EQUALS|LIKE|UNLIKE, value]");
        }

        var parts = c.Select(x => x!.GetValue<string>()).ToList();
        try
        {
            JobConstraints.Create(parts);
        }
        catch (InvalidConstraintException ex)
        {
            return Refuse<IReadOnlyList<string>>(JobConstraints.Operators.Contains(parts[1]) ? at : $"{at}/1", ex.Message);
        }

        return parts;
    });

    /// <summary><c>fetch</c> objects, then <c>uris</c> (plain strings, fetched with the defaults).</summary>
    private List<JobFetch>? ReadFetch(JsonObject json)
    {
        var fetch = Items(json["fetch"], "/fetch", (item, at) => item is JsonObject f && Text(f, "uri", required: true, at) is { Length: > 0 } uri
            ? new JobFetch(uri, Bool(f, "executable", at) ?? false, Bool(f, "extract", at) ?? true, Bool(f, "cache", at) ?? false, Text(f, "outputFile", required: false, at))
            : Refuse<JobFetch>(at, "expected {\"uri\", \"executable\", \"extract\", \"cache\", \"outputFile\"}"));
        var uris = Items(json["uris"], "/uris", (item, at) => item is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } uri
            ? new JobFetch(uri)
            : Refuse<JobFetch>(at, "expected a URI"));
        return fetch is null && uris is null ? null : [.. fetch ?? [], .. uris ?? []];
    }

    private List<T>? Items<T>(JsonNode? node, string path, Func<JsonNode?, string, T?> read)
        where T : class
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            Error(path, "expected an array");
            return null;
        }

        if (array.Count > MaxItems)
        {
            Error(path, $"at most {MaxItems} items (is {array.Count})");
            return null;
        }

        return [.. array.Select((item, i) => read(item, $"{path}/{i}")).OfType<T>()];
    }

    private T? Refuse<T>(string path, string error)
        where T : class
    {
        Error(path, error);
        return null;
    }

    private string? Text(JsonObject json, string name, bool required, string parent = "")
    {
        var path = $"{parent}/{name}";
        switch (json[name])
        {
            case null:
                if (required)
                {
                    Error(path, "is required");
                }

                return null;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (text.Length > MaxText)
                {
                    Error(path, $"at most {MaxText} characters (is {text.Length})");
                }

                return text;
            default:
                Error(path, "expected a string");
                return null;
        }
    }

    private bool? Bool(JsonObject json, string name, string parent = "")
    {
        switch (json[name])
        {
            case null:
                return null;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return v.GetValue<bool>();
            default:
                Error($"{parent}/{name}", "expected true or false");
                return null;
        }
    }

    private double? Number(JsonObject json, string name, double min, double max, bool whole = false)
    {
        if (json[name] is null)
        {
            return null;
        }

        if (json[name] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<double>(out var number))
        {
            Error($"/{name}", "expected a number");
            return null;
        }

        if (!double.IsFinite(number) || number < min || number > max || (whole && Math.Floor(number) != number))
        {
            Error($"/{name}", $"must be {(whole ? "a whole number" : "a number")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} (is {number.ToString(CultureInfo.InvariantCulture)})");
            return null;
        }

        return number;
    }

    private List<string>? Strings(JsonObject json, string name) => Items(json[name], $"/{name}", (item, at) =>
        item is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : Refuse<string>(at, "expected a string"));

    private void Error(string path, string error) => ApiErrorDetails.Add(_errors, path, error);

    /// <summary>The labels: at most 100, names of 1–255 characters, values strings of at most 64 KiB.</summary>
    private Dictionary<string, string>? ReadLabels(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject labels || labels.Count > 100)
        {
            Error("/labels", "must be an object of at most 100 string values");
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in labels)
        {
            if (name.Length is 0 or > 255 || value is not JsonValue text || !text.TryGetValue<string>(out var label) || label.Length > 64 * 1024)
            {
                Error($"/labels/{name}", "must be a string of at most 65536 characters, under a name of 1 to 255");
                continue;
            }

            result[name] = label;
        }

        return result;
    }

    [GeneratedRegex(@"\A[A-Za-z0-9_.-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
