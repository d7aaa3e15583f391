namespace OrleansDcos.Runtime;

/// <summary>
/// A call would wait on itself: the target grain is busy with a request that cannot interleave, and
/// the call chain of the new request already passes through that grain (A → B → A). Raised at
/// once instead of waiting for the request timeout.
/// </summary>
public sealed class DeadlockException(string message) : Exception(message);

/// <summary>
/// A state write found a newer version than the one this activation read (another activation or
/// writer got there first). The activation is deactivated after the request, so the next call
/// reloads the state.
/// </summary>
public sealed class InconsistentStateException(string message) : Exception(message);

/// <summary>The grain could not be activated; the inner exception is what its constructor or OnActivateAsync threw.</summary>
public sealed class GrainActivationException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// A grain call failed with an exception whose type could not be recreated where the call was made
/// (remote calls): <see cref="RemoteType"/> names it and the message is kept.
/// </summary>
public sealed class GrainCallException(string remoteType, string message) : Exception(message)
{
    /// <summary>The full name of the exception type raised in the grain.</summary>
    public string RemoteType { get; } = remoteType;
}

/// <summary>The silo a call went to is dead, unreachable or cut off: the call was not (or may not have been) processed.</summary>
public sealed class SiloUnavailableException(string message) : Exception(message);

/// <summary>The grain has too many requests waiting (back-pressure): the call was not queued; try again later.</summary>
public sealed class GrainOverloadedException(string message) : Exception(message);
