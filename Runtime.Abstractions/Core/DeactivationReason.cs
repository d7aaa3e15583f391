namespace OrleansDcos.Runtime;

/// <summary>Why an activation is going away.</summary>
public enum DeactivationReasonCode
{
    /// <summary>The grain called <see cref="Grain.DeactivateOnIdle"/>.</summary>
    ApplicationRequested,

    /// <summary>It was idle longer than the collection age.</summary>
    IdleCollection,

    /// <summary>A state write found a newer version: the next call reloads the state.</summary>
    InconsistentState,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,
}

/// <summary>Why an activation is being deactivated, with a human-readable description.</summary>
public sealed record DeactivationReason(DeactivationReasonCode Code, string Description);
