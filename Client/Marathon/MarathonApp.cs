using System.Text.Json;
using OrleansDcos.Grains.Marathon;

namespace OrleansDcos.Client.Marathon;

/// <summary>An app as <c>/v2/apps</c> shows it: the definition with its task counts, deployments and (when asked) tasks.</summary>
public sealed record MarathonApp(
    AppDefinition Definition,
    int TasksStaged,
    int TasksRunning,
    int TasksHealthy,
    int TasksUnhealthy,
    IReadOnlyList<string> Deployments,
    IReadOnlyList<MarathonTask>? Tasks,
    TaskFailureInfo? LastTaskFailure)
{
    internal static MarathonApp Read(JsonElement json) => new(
        json.Deserialize<AppDefinition>()!,
        json.GetProperty("tasksStaged").GetInt32(),
        json.GetProperty("tasksRunning").GetInt32(),
        json.GetProperty("tasksHealthy").GetInt32(),
        json.GetProperty("tasksUnhealthy").GetInt32(),
        json.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList(),
        json.TryGetProperty("tasks", out var tasks) ? tasks.Deserialize<List<MarathonTask>>() : null,
        json.TryGetProperty("lastTaskFailure", out var failure) ? failure.Deserialize<TaskFailureInfo>() : null);
}
