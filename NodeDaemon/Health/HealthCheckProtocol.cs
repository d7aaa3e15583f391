namespace OrleansDcos.NodeDaemon.Health;

/// <summary>The kind of an agent-side health check.</summary>
public enum HealthCheckProtocol
{
    /// <summary>GET http://host:port/path answers 200–399.</summary>
    Http,

    /// <summary>As HTTP over TLS (the certificate is not verified, as Mesos does not).</summary>
    Https,

    /// <summary>A TCP connection to host:port opens.</summary>
    Tcp,

    /// <summary><c>sh -c command</c> in the task's sandbox, with its environment, exits 0.</summary>
    Command,
}
