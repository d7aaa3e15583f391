namespace OrleansDcos.Tests.Support;

/// <summary>
/// Settings written by <c>infra/provision.sh</c>: read from the environment (the test command
/// sources the env file), or from the env file itself when a test runs from an IDE.
/// </summary>
public static class TestEnvironment
{
    /// <summary>The env file provision.sh writes when <c>DCOS_STATE_DIR</c> is not set.</summary>
    public const string DefaultEnvFile = "/var/lib/orleansdcos/test.env";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> FileSettings = new(ReadEnvFile);

    /// <summary>True under CI (<c>CI=true</c>): a missing component fails its tests instead of skipping them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL connection string, or null.</summary>
    public static string? PostgresConnectionString => Get("DCOS_TEST_POSTGRES");

    /// <summary>The Docker engine socket, or null.</summary>
    public static string? DockerSocket => Get("DCOS_TEST_DOCKER_SOCKET");

    /// <summary>The local test image (no registry exists here).</summary>
    public static string BusyboxImage => Get("DCOS_TEST_DOCKER_IMAGE") ?? "local/busybox:1";

    /// <summary>The Chromium executable, or null.</summary>
    public static string? ChromiumPath => Get("DCOS_TEST_CHROMIUM");

    /// <summary>dnsutils' <c>dig</c>; path in <c>DCOS_TEST_DIG</c>.</summary>
    public static string? DigPath => Get("DCOS_TEST_DIG");

    /// <summary>Debian's <c>haproxy</c>; path in <c>DCOS_TEST_HAPROXY</c>.</summary>
    public static string? HaproxyPath => Get("DCOS_TEST_HAPROXY");

    /// <summary>Debian's <c>prometheus</c>; path in <c>DCOS_TEST_PROMETHEUS</c>.</summary>
    public static string? PrometheusPath => Get("DCOS_TEST_PROMETHEUS");

    /// <summary>Debian's <c>promtool</c>; path in <c>DCOS_TEST_PROMTOOL</c>.</summary>
    public static string? PromtoolPath => Get("DCOS_TEST_PROMTOOL");

    /// <summary>Why <paramref name="component"/> is unavailable, or null when it is there.</summary>
    public static string? WhyMissing(Component component) => component switch
    {
        Component.Postgres => PostgresConnectionString is null
            ? "PostgreSQL is not provisioned (DCOS_TEST_POSTGRES unset): run infra/provision.sh"
            : null,
        Component.Docker => DockerSocket is not { } socket
            ? "dockerd is not provisioned (DCOS_TEST_DOCKER_SOCKET unset): run infra/provision.sh"
            : File.Exists(socket) ? null : $"dockerd socket {socket} does not exist: run infra/provision.sh",
        Component.Chromium => ChromiumPath is not { } path
            ? "Chromium is not provisioned (DCOS_TEST_CHROMIUM unset): run infra/provision.sh"
            : File.Exists(path) ? null : $"Chromium executable {path} does not exist: run infra/provision.sh",
        Component.Dig => DigPath is not { } dig
            ? "dig is not provisioned (DCOS_TEST_DIG unset): run infra/provision.sh"
            : File.Exists(dig) ? null : $"dig {dig} does not exist: run infra/provision.sh",
        Component.Haproxy => HaproxyPath is not { } haproxy
            ? "haproxy is not provisioned (DCOS_TEST_HAPROXY unset): run infra/provision.sh"
            : File.Exists(haproxy) ? null : $"haproxy {haproxy} does not exist: run infra/provision.sh",
        Component.Prometheus => PrometheusPath is not { } prometheus || PromtoolPath is not { } promtool
            ? "prometheus is not provisioned (DCOS_TEST_PROMETHEUS or DCOS_TEST_PROMTOOL unset): run infra/provision.sh"
            : File.Exists(prometheus) && File.Exists(promtool) ? null : $"prometheus {prometheus} or promtool {promtool} does not exist: run infra/provision.sh",
        Component.Cgroups => !OperatingSystem.IsLinux()
            ? "cgroups need Linux"
            : Environment.UserName != "root"
                ? "cgroups need root (the node daemon runs as root)"
                : File.Exists("/sys/fs/cgroup/cgroup.controllers") || Directory.Exists("/sys/fs/cgroup/memory")
                    ? null
                    : "no cgroup hierarchy is mounted at /sys/fs/cgroup",
        _ => throw new ArgumentOutOfRangeException(nameof(component), component, null),
    };

    /// <summary>Fails the calling test with a one-line reason when <paramref name="component"/> is missing.</summary>
    public static void Require(Component component)
    {
        if (WhyMissing(component) is { } reason)
        {
            throw new InvalidOperationException(reason);
        }
    }

    private static string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            FileSettings.Value.TryGetValue(name, out value);
        }

        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static IReadOnlyDictionary<string, string> ReadEnvFile()
    {
        var stateDir = Environment.GetEnvironmentVariable("DCOS_STATE_DIR");
        var path = stateDir is null ? DefaultEnvFile : Path.Combine(stateDir, "test.env");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return settings;
        }

        foreach (var line in File.ReadLines(path))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            var eq = trimmed.IndexOf('=');
            if (eq > 0)
            {
                settings[trimmed[..eq].Replace("export ", string.Empty, StringComparison.Ordinal).Trim()] = Unquote(trimmed[(eq + 1)..]);
            }
        }

        return settings;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '\'' && value[^1] == '\'' ? value[1..^1] : value;
}
