using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Mesos;

namespace OrleansDcos.Silo.Marathon;

/// <summary>
/// Marathon's JSON shapes of apps and tasks, written straight to the response. An app is its definition's JSON with
/// the counts, deployments and (embedded) tasks added; the definition's bytes are kept per definition object, so a
/// listing of 10,000 apps serializes only the definitions that changed since the last one.
/// </summary>
internal static class MarathonJson
{
    private static readonly ConditionalWeakTable<AppDefinition, byte[]> Definitions = new();

    /// <summary>One app as <c>/v2/apps</c> shows it.</summary>
    public sealed record AppEntry(
        AppDefinition Definition,
        AppCounts Counts,
        IReadOnlyList<string> Deployments,
        IReadOnlyList<InstanceRecord>? Tasks = null,
        TaskFailureInfo? LastTaskFailure = null,
        JsonObject? TaskStats = null,
        IReadOnlyList<ReadinessCheckResult>? Readiness = null);

    /// <summary>Answers <c>{"<paramref name="property"/>": app}</c>, or the app alone when <paramref name="property"/> is null.</summary>
    public static IResult App(string? property, AppEntry app, int status = StatusCodes.Status200OK) =>
        new AppsResult(property, [app], single: true, status);

    /// <summary>Answers <c>{"apps": [...]}</c>.</summary>
    public static IResult Apps(IReadOnlyList<AppEntry> apps, string property = "apps") => new AppsResult(property, apps, single: false, StatusCodes.Status200OK);

    /// <summary>A task as Marathon shows it.</summary>
    public static MarathonTask Task(InstanceRecord t) => new(
        t.TaskId,
        t.AppId,
        t.Host,
        t.Ports,
        t.ServicePorts,
        t.AgentId,
        t.StagedAt,
        t.StartedAt,
        t.Version,
        t.Killing && t.State == TaskState.TASK_RUNNING ? nameof(TaskState.TASK_KILLING) : t.State.ToString(),
        t.Role,
        [new MarathonIpAddress(t.HostIp ?? t.Host, "IPv4")],
        t.Healthy is { } healthy
            ? [new MarathonHealthCheckResult(healthy, t.TaskId, t.TaskId, t.Health?.ConsecutiveFailures ?? 0, t.Health?.FirstSuccess, t.Health?.LastSuccess, t.Health?.LastFailure, t.Health?.LastFailureCause)]
            : [],
        t.Region,
        t.Zone);

    /// <summary>
    /// Writes one app to <paramref name="output"/>: the definition's JSON without its closing brace, then the counts,
    /// deployments, tasks and last failure written by <paramref name="additions"/> (reset here) into
    /// <paramref name="buffer"/>, without their opening brace; returns the bytes written. Nothing per app is allocated but
    /// the additions' values.
    /// </summary>
    private static int WriteApp(IBufferWriter<byte> output, AppEntry app, Utf8JsonWriter additions, ArrayBufferWriter<byte> buffer)
    {
        var definition = Definitions.GetValue(app.Definition, d => JsonSerializer.SerializeToUtf8Bytes(d));
        buffer.ResetWrittenCount();
        additions.Reset(buffer);
        additions.WriteStartObject();
        additions.WriteNumber("tasksStaged", app.Counts.Staged);
        additions.WriteNumber("tasksRunning", app.Counts.Running);
        additions.WriteNumber("tasksHealthy", app.Counts.Healthy);
        additions.WriteNumber("tasksUnhealthy", app.Counts.Unhealthy);
        additions.WriteStartArray("deployments");
        foreach (var id in app.Deployments)
        {
            additions.WriteStartObject();
            additions.WriteString("id", id);
            additions.WriteEndObject();
        }

        additions.WriteEndArray();
        if (app.Tasks is { } tasks)
        {
            additions.WritePropertyName("tasks");
            JsonSerializer.Serialize(additions, tasks.Select(Task));
        }

        if (app.LastTaskFailure is { } failure)
        {
            additions.WritePropertyName("lastTaskFailure");
            JsonSerializer.Serialize(additions, failure);
        }

        if (app.TaskStats is { } stats)
        {
            additions.WritePropertyName("taskStats");
            stats.WriteTo(additions);
        }

        if (app.Readiness is { } readiness)
        {
            additions.WritePropertyName("readinessCheckResults");
            JsonSerializer.Serialize(additions, readiness);
        }

        additions.WriteEndObject();
        additions.Flush();
        output.Write(definition.AsSpan(0, definition.Length - 1));
        output.Write(","u8);
        output.Write(buffer.WrittenSpan[1..]);
        return definition.Length + buffer.WrittenCount;
    }

    private sealed class AppsResult(string? property, IReadOnlyList<AppEntry> apps, bool single, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            var body = context.Response.BodyWriter;
            if (property is not null)
            {
                body.Write(Encoding.UTF8.GetBytes($"{{{JsonSerializer.Serialize(property)}:"));
            }

            if (!single)
            {
                body.Write("["u8);
            }

            var buffer = new ArrayBufferWriter<byte>(1024);
            await using var additions = new Utf8JsonWriter(buffer);
            var unflushed = 0L;
            for (var i = 0; i < apps.Count; i++)
            {
                if (i > 0)
                {
                    body.Write(","u8);
                }

                unflushed += WriteApp(body, apps[i], additions, buffer);
                if (unflushed > 64 * 1024)
                {
                    unflushed = 0;
                    await body.FlushAsync(context.RequestAborted);
                }
            }

            if (!single)
            {
                body.Write("]"u8);
            }

            if (property is not null)
            {
                body.Write("}"u8);
            }

            await body.FlushAsync(context.RequestAborted);
        }
    }
}
