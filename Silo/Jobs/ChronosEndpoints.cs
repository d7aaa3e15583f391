using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using NodaTime;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Grains.Jobs;
using OrleansDcos.Grains.Jobs.Validation;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Silo.Api;

namespace OrleansDcos.Silo.Jobs;

/// <summary>
/// Chronos' API under <c>/v1/scheduler</c>: jobs created or replaced by <c>POST|PUT /iso8601</c> (scheduled) and
/// <c>/dependency</c> (with parents), listed, searched and summarized, run now, killed, deleted, their async success
/// reported, their statistics and the dependency graph; plus, beyond Chronos, one job with its next due times and its
/// run history. Bad jobs are 400 naming each field, unknown jobs 404, and changes answer 204 as Chronos does.
/// </summary>
public static class ChronosEndpoints
{
    /// <summary>The API's base path.</summary>
    public const string Base = "/v1/scheduler";

    private static readonly string[] Percentiles = ["99thPercentile", "95thPercentile", "75thPercentile", "median", "mean"];

    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, kind) in new[] { ("/iso8601", JobReader.Kind.Scheduled), ("/dependency", JobReader.Kind.Dependent) })
        {
            endpoints.MapMethods(Base + path, ["POST", "PUT"], (HttpContext context, IGrainFactory grains, IOptions<JobsOptions> options, TimeProvider time) => Guard(async () =>
            {
                var body = await ApiJson.ReadAsync(context, options.Value.MaxRequestBytes, "Jobs:MaxRequestBytes");
                var job = JobReader.Read(body, kind, Instant.FromDateTimeOffset(time.GetUtcNow()));
                var exists = !string.IsNullOrWhiteSpace(job.Name) && await grains.GetGrain<IJobGrain>(job.Name).Get() is not null;
                var access = Security.Access.Of(context);
                access.Demand(Security.Access.Job(job.Name), exists ? Scheduling.Security.PermissionActions.Update : Scheduling.Security.PermissionActions.Create);
                Security.MarathonAccess.DemandTaskUser(access, job.RunAsUser);
                foreach (var secret in (job.EnvironmentVariables ?? []).Select(v => v.Secret).OfType<string>())
                {
                    Security.MarathonAccess.DemandSecret(access, secret);
                }

                await Root(grains).Put(job);
                return Results.NoContent();
            }));
        }

        endpoints.MapGet(Base + "/jobs", (HttpContext context, IGrainFactory grains) => Guard(async () => Results.Json(new JsonArray([.. (await ViewsAsync(grains, context)).Select(v => (JsonNode)JobJson(v))]))));
        endpoints.MapGet(Base + "/jobs/summary", (HttpContext context, IGrainFactory grains) => Guard(async () => Results.Json(new JsonObject
        {
            ["jobs"] = new JsonArray([.. (await ViewsAsync(grains, context)).Select(v => (JsonNode)Summary(v))]),
        })));
        endpoints.MapGet(Base + "/jobs/search", (HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            string Query(string name) => context.Request.Query[name].ToString();
            bool Has(string text, string part) => part.Length == 0 || text.Contains(part, StringComparison.OrdinalIgnoreCase);
            var (name, command, any) = (Query("name"), Query("command"), Query("any"));
            var found = (await ViewsAsync(grains, context)).Where(v => Has(v.Definition.Name, name) && Has(v.Definition.Command, command)
                && (any.Length == 0 || Has(v.Definition.Name, any) || Has(v.Definition.Command, any) || Has(v.Definition.Description, any) || Has(v.Definition.Owner, any)));
            return Results.Json(new JsonArray([.. found.Select(v => (JsonNode)JobJson(v))]));
        }));

        endpoints.MapGet(Base + "/job/{name}", (string name, IGrainFactory grains) => Guard(async () => Results.Json(JobJson(await RequireAsync(grains, name), details: true))));
        endpoints.MapGet(Base + "/job/{name}/runs", (string name, IGrainFactory grains) => Guard(async () =>
        {
            await RequireAsync(grains, name);
            var history = await grains.GetGrain<IJobGrain>(name).History();
            return Results.Json(new JsonObject { ["runs"] = JsonSerializer.SerializeToNode(history.Runs) });
        }));
        endpoints.MapPut(Base + "/job/{name}", (string name, HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            await RequireAsync(grains, name);
            var arguments = context.Request.Query["arguments"].ToString();
            await grains.GetGrain<IJobGrain>(name).RunNow(arguments.Length == 0 ? null : arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            return Results.NoContent();
        }));
        endpoints.MapDelete(Base + "/job/{name}", (string name, IGrainFactory grains) => Guard(async () =>
        {
            await Root(grains).Delete(name);
            return Results.NoContent();
        }));
        endpoints.MapPut(Base + "/job/success/{name}", (string name, IGrainFactory grains) => Guard(async () =>
        {
            await RequireAsync(grains, name);
            await grains.GetGrain<IJobGrain>(name).ReportSuccess();
            return Results.NoContent();
        }));
        endpoints.MapDelete(Base + "/task/kill/{name}", (string name, IGrainFactory grains) => Guard(async () =>
        {
            await RequireAsync(grains, name);
            await grains.GetGrain<IJobGrain>(name).KillTasks();
            return Results.NoContent();
        }));
        endpoints.MapGet(Base + "/job/stat/{name}", (string name, IGrainFactory grains) => Guard(async () =>
        {
            await RequireAsync(grains, name);
            var history = await grains.GetGrain<IJobGrain>(name).History();
            return Results.Json(new JsonObject
            {
                ["histogram"] = Histogram(history.SuccessSeconds),
                ["taskStatHistory"] = JsonSerializer.SerializeToNode(history.Runs.Where(r => r.State != JobRunStates.Skipped)),
            });
        }));
        endpoints.MapGet(Base + "/stats/{percentile}", (string percentile, HttpContext context, IGrainFactory grains) => Guard(async () =>
        {
            if (!Percentiles.Contains(percentile))
            {
                return ApiResults.Error(StatusCodes.Status404NotFound, $"no statistic '{percentile}' ({string.Join(", ", Percentiles)} are)");
            }

            var access = Security.Access.Of(context);
            var names = (await Root(grains).Links()).Keys.Where(access.ReadsJob).Order(StringComparer.Ordinal).ToList();
            var histories = await Task.WhenAll(names.Select(n => grains.GetGrain<IJobGrain>(n).History()));
            return Results.Json(new JsonArray([.. names.Zip(histories).Where(p => p.Second.SuccessSeconds.Count > 0).Select(p => (JsonNode)new JsonObject
            {
                ["jobNameLabel"] = p.First,
                ["time"] = Histogram(p.Second.SuccessSeconds)[percentile]!.GetValue<double>(),
            })]));
        }));
        endpoints.MapGet(Base + "/graph/dot", (HttpContext context, IGrainFactory grains) => Guard(async () => Results.Text(Dot(await ViewsAsync(grains, context)), "text/vnd.graphviz")));
        endpoints.MapGet(Base + "/graph/csv", (HttpContext context, IGrainFactory grains) => Guard(async () => Results.Text(Csv(await ViewsAsync(grains, context)), "text/csv")));
        endpoints.MapGet(Base + "/leader", (Hosting.ClusterLeader leader) => leader.Address is { } address
            ? Results.Json(new JsonObject { ["leader"] = address })
            : ApiResults.Error(StatusCodes.Status503ServiceUnavailable, "no silo is active: there is no leader right now"));
        return endpoints;
    }

    private static IJobsGrain Root(IGrainFactory grains) => grains.GetGrain<IJobsGrain>(JobKeys.Root);

    private static async Task<JobView> RequireAsync(IGrainFactory grains, string name) =>
        await grains.GetGrain<IJobGrain>(name).Get() ?? throw new JobNotFoundException($"Job '{name}' does not exist");

    /// <summary>Every job's view the caller of <paramref name="context"/> may read (every job's without a context), by name.</summary>
    internal static async Task<IReadOnlyList<JobView>> ViewsAsync(IGrainFactory grains, HttpContext? context = null)
    {
        var access = context is null ? Security.Access.Everything : Security.Access.Of(context);
        var names = (await Root(grains).Links()).Keys.Where(access.ReadsJob).Order(StringComparer.Ordinal).ToList();
        return [.. (await Task.WhenAll(names.Select(n => grains.GetGrain<IJobGrain>(n).Get()))).OfType<JobView>()];
    }

    /// <summary>A job as Chronos lists it: its definition and counters (times as ISO 8601, "" when none); ours: <c>skippedCount</c>, <c>nextDue</c>, and with <paramref name="details"/> the run in progress.</summary>
    private static JsonObject JobJson(JobView view, bool details = false)
    {
        var json = JsonSerializer.SerializeToNode(view.Definition)!.AsObject();
        foreach (var list in new[] { "arguments", "environmentVariables", "constraints", "fetch" })
        {
            // Chronos writes an empty list, never null.
            json[list] ??= new JsonArray();
        }

        json["uris"] = new JsonArray([.. (view.Definition.Fetch ?? []).Select(f => (JsonNode)f.Uri)]);
        json["successCount"] = view.SuccessCount;
        json["errorCount"] = view.ErrorCount;
        json["lastSuccess"] = Time(view.LastSuccess);
        json["lastError"] = Time(view.LastError);
        json["errorsSinceLastSuccess"] = view.ErrorsSinceLastSuccess;
        json["skippedCount"] = view.SkippedCount;
        json["nextDue"] = new JsonArray([.. view.NextDue.Select(d => (JsonNode)Time(d))]);
        if (details && view.Current is { } current)
        {
            json["currentRun"] = JsonSerializer.SerializeToNode(current);
        }

        return json;
    }

    /// <summary>Chronos' summary entry: <c>status</c> idle|queued|running, <c>state</c> success|failure|fresh.</summary>
    private static JsonObject Summary(JobView view) => new()
    {
        ["name"] = view.Definition.Name,
        ["status"] = view.Current?.State switch
        {
            null => "idle",
            JobRunStates.Queued => "queued",
            _ => "running",
        },
        ["state"] = (view.LastSuccess, view.LastError) switch
        {
            (null, null) => "fresh",
            ({ } success, { } error) => success >= error ? "success" : "failure",
            (not null, null) => "success",
            _ => "failure",
        },
        ["schedule"] = view.Definition.Schedule ?? "",
        ["parents"] = new JsonArray([.. (view.Definition.Parents ?? []).Select(p => (JsonNode)p)]),
        ["disabled"] = view.Definition.Disabled,
    };

    /// <summary>Run durations in seconds: Chronos' percentiles, median, mean and count.</summary>
    private static JsonObject Histogram(IReadOnlyList<double> seconds)
    {
        var sorted = seconds.Order().ToList();
        double At(double p) => sorted.Count == 0 ? 0 : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
        return new JsonObject
        {
            ["75thPercentile"] = At(0.75),
            ["95thPercentile"] = At(0.95),
            ["98thPercentile"] = At(0.98),
            ["99thPercentile"] = At(0.99),
            ["median"] = At(0.5),
            ["mean"] = sorted.Count == 0 ? 0 : sorted.Average(),
            ["count"] = sorted.Count,
        };
    }

    private static string Dot(IReadOnlyList<JobView> views)
    {
        var dot = new StringBuilder("digraph G {\n");
        foreach (var view in views)
        {
            dot.Append(CultureInfo.InvariantCulture, $"  \"{view.Definition.Name}\" [label=\"{view.Definition.Name}\" {(Summary(view)["state"]!.GetValue<string>() == "failure" ? "color=red" : "")}];\n");
            foreach (var parent in view.Definition.Parents ?? [])
            {
                dot.Append(CultureInfo.InvariantCulture, $"  \"{parent}\" -> \"{view.Definition.Name}\";\n");
            }
        }

        return dot.Append("}\n").ToString();
    }

    /// <summary>Chronos' graph as CSV: <c>node,name,lastState,status</c> rows, then <c>link,parent,child</c> rows.</summary>
    private static string Csv(IReadOnlyList<JobView> views)
    {
        var csv = new StringBuilder();
        foreach (var view in views)
        {
            var summary = Summary(view);
            csv.Append(CultureInfo.InvariantCulture, $"node,{view.Definition.Name},{summary["state"]},{summary["status"]}\n");
        }

        foreach (var view in views)
        {
            foreach (var parent in view.Definition.Parents ?? [])
            {
                csv.Append(CultureInfo.InvariantCulture, $"link,{parent},{view.Definition.Name}\n");
            }
        }

        return csv.ToString();
    }

    /// <summary>A time as Chronos writes it (Marathon's format, to the millisecond), "" for none.</summary>
    private static string Time(DateTimeOffset? at) => at is { } t ? MarathonKeys.Timestamp(t) : "";

    private static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await ApiResults.Guard(action);
        }
        catch (JobValidationException ex)
        {
            return Results.Json(new ApiError("Job is not valid", ex.Details), statusCode: StatusCodes.Status400BadRequest);
        }
        catch (JobNotFoundException ex)
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, ex.Message);
        }
    }
}
