using System.Globalization;
using System.Text;

namespace OrleansDcos.NodeDaemon.Tasks;

/// <summary>
/// The environment Mesos and Marathon give a task: HOST, PORT0…PORTn, PORT, PORTS, PORT_{NAME}, MESOS_TASK_ID,
/// MESOS_SANDBOX, MESOS_FRAMEWORK_ID, MARATHON_APP_ID, MARATHON_APP_VERSION, MARATHON_APP_RESOURCE_*,
/// MARATHON_APP_LABELS and MARATHON_APP_LABEL_{NAME}. The app's own variables are kept; the computed ones
/// win on a clash (a task must not be told a port it was not given).
/// </summary>
public static class TaskEnvironment
{
    /// <summary>The whole environment of a task.</summary>
    public static IReadOnlyDictionary<string, string> Build(TaskEnvironmentSource source, IReadOnlyDictionary<string, string>? appEnvironment = null)
    {
        var env = new Dictionary<string, string>(appEnvironment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        env["HOST"] = source.Host;
        env["MESOS_TASK_ID"] = source.TaskId;
        env["MESOS_SANDBOX"] = source.Sandbox;
        env["HOME"] = env.GetValueOrDefault("HOME") ?? source.Sandbox;
        if (source.FrameworkId is { } framework)
        {
            env["MESOS_FRAMEWORK_ID"] = framework;
        }

        for (var i = 0; i < source.Ports.Count; i++)
        {
            var port = source.Ports[i].ToString(CultureInfo.InvariantCulture);
            env[$"PORT{i}"] = port;
            if (source.PortNames is { } names && i < names.Count && names[i] is { Length: > 0 } name)
            {
                env[$"PORT_{VariableName(name)}"] = port;
            }
        }

        if (source.Ports.Count > 0)
        {
            env["PORT"] = env["PORT0"];
            env["PORTS"] = string.Join(',', source.Ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
        }

        if (source.AppId is { } app)
        {
            env["MARATHON_APP_ID"] = app;
            env["MARATHON_APP_VERSION"] = source.AppVersion ?? "";
            env["MARATHON_APP_RESOURCE_CPUS"] = source.Cpus.ToString(CultureInfo.InvariantCulture);
            env["MARATHON_APP_RESOURCE_MEM"] = source.MemMb.ToString("0.0", CultureInfo.InvariantCulture);
            env["MARATHON_APP_RESOURCE_DISK"] = source.DiskMb.ToString("0.0", CultureInfo.InvariantCulture);
            env["MARATHON_APP_RESOURCE_GPUS"] = source.Gpus.ToString(CultureInfo.InvariantCulture);
            var labels = source.Labels ?? new Dictionary<string, string>();
            env["MARATHON_APP_LABELS"] = string.Join(' ', labels.Keys.Select(VariableName));
            foreach (var (name, value) in labels)
            {
                env[$"MARATHON_APP_LABEL_{VariableName(name)}"] = value;
            }
        }

        return env;
    }

    /// <summary>An upper-case name of letters, digits and '_' (Marathon's rule for label and port names).</summary>
    public static string VariableName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return builder.ToString();
    }
}
