namespace OrleansDcos.Runtime.Storage;

/// <summary>A stored state record: its JSON and its version (the ETag).</summary>
public sealed record GrainStateRecord(string Json, string Etag);

/// <summary>
/// A durable store of grain states keyed by (state name, grain id). Every write is a compare-and-swap
/// on the version: <paramref name="etag"/> null means "no record yet". A mismatch throws
/// <see cref="InconsistentStateException"/> and changes nothing. A returned write is durable.
/// </summary>
public interface IGrainStorage
{
    /// <summary>The record, or null when there is none.</summary>
    Task<GrainStateRecord?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="json"/> over version <paramref name="etag"/>; returns the new version.</summary>
    Task<string> WriteAsync(string stateName, GrainId grainId, string json, string? etag, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record at version <paramref name="etag"/> (null: there is none, nothing to do).</summary>
    Task ClearAsync(string stateName, GrainId grainId, string? etag, CancellationToken cancellationToken = default);
}
