namespace OrleansDcos.Tests.Support;

/// <summary>A real component a test needs, provisioned by <c>infra/provision.sh</c>.</summary>
public enum Component
{
    /// <summary>PostgreSQL on its own port; connection string in <c>DCOS_TEST_POSTGRES</c>.</summary>
    Postgres,

    /// <summary>dockerd with the <c>local/busybox:1</c> image; socket in <c>DCOS_TEST_DOCKER_SOCKET</c>.</summary>
    Docker,

    /// <summary>Debian's Chromium; executable in <c>DCOS_TEST_CHROMIUM</c>.</summary>
    Chromium,

    /// <summary>dnsutils' <c>dig</c>; path in <c>DCOS_TEST_DIG</c>.</summary>
    Dig,

    /// <summary>Debian's <c>haproxy</c>; path in <c>DCOS_TEST_HAPROXY</c>.</summary>
    Haproxy,

    /// <summary>Debian's <c>prometheus</c> and <c>promtool</c>; paths in <c>DCOS_TEST_PROMETHEUS</c> and <c>DCOS_TEST_PROMTOOL</c>.</summary>
    Prometheus,

    /// <summary>Writable cgroups (v1 or v2) and root, to run tasks with resource limits.</summary>
    Cgroups,
}
