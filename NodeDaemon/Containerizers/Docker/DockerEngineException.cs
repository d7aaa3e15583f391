using System.Net;

namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>The Docker engine refused a request; <see cref="Exception.Message"/> carries the engine's own words.</summary>
public sealed class DockerEngineException(HttpStatusCode status, string operation, string engineMessage)
    : Exception($"docker {operation} failed ({(int)status}): {engineMessage}")
{
    /// <summary>The HTTP status the engine answered.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>True when the engine answered 404 (no such image or container).</summary>
    public bool IsNotFound => Status == HttpStatusCode.NotFound;
}
