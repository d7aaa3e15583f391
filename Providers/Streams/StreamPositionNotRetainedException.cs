namespace OrleansDcos.Providers.Streams;

/// <summary>A follower asked for events after a position whose successors the log no longer keeps (retention).</summary>
public sealed class StreamPositionNotRetainedException(string message) : Exception(message);
