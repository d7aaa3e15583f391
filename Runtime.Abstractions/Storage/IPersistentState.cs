namespace OrleansDcos.Runtime;

/// <summary>
/// A grain's durable state. Loaded before <see cref="Grain.OnActivateAsync"/>; written only when the
/// grain asks. Each write compares <see cref="Etag"/>: a write over a newer version throws
/// <see cref="InconsistentStateException"/> and nothing is written.
/// </summary>
public interface IPersistentState<TState>
    where TState : new()
{
    /// <summary>The state (a new <typeparamref name="TState"/> when none was stored).</summary>
    TState State { get; set; }

    /// <summary>The stored version this activation last read or wrote; null when there is no record.</summary>
    string? Etag { get; }

    /// <summary>True when a record is stored.</summary>
    bool RecordExists { get; }

    /// <summary>Reloads the state from storage.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <see cref="State"/>; acknowledged only once durable in the provider.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the record and resets <see cref="State"/>.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
