using System.Globalization;

namespace OrleansDcos.Runtime.Storage;

/// <summary>Grain state in memory, with the same version semantics as the durable providers (for unit tests).</summary>
public sealed class MemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<(string, GrainId), (string Json, long Version)> _records = [];

    /// <inheritdoc />
    public Task<GrainStateRecord?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            return Task.FromResult(_records.TryGetValue((stateName, grainId), out var record)
                ? new GrainStateRecord(record.Json, record.Version.ToString(CultureInfo.InvariantCulture))
                : null);
        }
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(string stateName, GrainId grainId, string json, string? etag, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            var current = Current(stateName, grainId);
            if (current != etag)
            {
                throw StorageConflicts.Write(stateName, grainId, etag, current);
            }

            var version = etag is null ? 1 : long.Parse(etag, CultureInfo.InvariantCulture) + 1;
            _records[(stateName, grainId)] = (json, version);
            return Task.FromResult(version.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <inheritdoc />
    public Task ClearAsync(string stateName, GrainId grainId, string? etag, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            if (etag is null)
            {
                return Task.CompletedTask;
            }

            var current = Current(stateName, grainId);
            if (current != etag)
            {
                throw StorageConflicts.Write(stateName, grainId, etag, current);
            }

            _records.Remove((stateName, grainId));
            return Task.CompletedTask;
        }
    }

    private string? Current(string stateName, GrainId grainId) =>
        _records.TryGetValue((stateName, grainId), out var record) ? record.Version.ToString(CultureInfo.InvariantCulture) : null;
}
