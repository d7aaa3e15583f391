namespace OrleansDcos.NodeDaemon.Fetcher;

/// <summary>Why a fetch failed (the task fails with <c>REASON_CONTAINER_LAUNCH_FAILED</c>, as in Mesos).</summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner);
