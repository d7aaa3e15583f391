namespace OrleansDcos.NodeDaemon.Fetcher;

/// <summary>Why a fetch failed (the task fails with <c>REASON_FETCHER_FAILED</c>).</summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner);
