namespace OrleansDcos.Runtime;

/// <summary>Where proxies send requests: the silo's catalog, or a client's gateway connection.</summary>
public interface IGrainCallSink
{
    /// <summary>Takes <paramref name="request"/>; completes it (result or exception) later.</summary>
    void Send(GrainRequest request);
}
