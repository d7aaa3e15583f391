using System.Text.Json;

namespace OrleansDcos.Runtime.Storage;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: JSON over an <see cref="IGrainStorage"/>.</summary>
internal sealed class PersistentState<TState>(string stateName, IGrainStorage storage, JsonSerializerOptions json) : IPersistentState<TState>, IPersistentStateLoader
    where TState : new()
{
    private GrainId _grainId;

    public TState State { get; set; } = new();

    public string? Etag { get; private set; }

    public bool RecordExists => Etag is not null;

    public void Bind(GrainId grainId) => _grainId = grainId;

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await storage.ReadAsync(stateName, _grainId, cancellationToken);
        State = record is null ? new TState() : JsonSerializer.Deserialize<TState>(record.Json, json) ?? new TState();
        Etag = record?.Etag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default) =>
        Etag = await storage.WriteAsync(stateName, _grainId, JsonSerializer.Serialize(State, json), Etag, cancellationToken);

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await storage.ClearAsync(stateName, _grainId, Etag, cancellationToken);
        Etag = null;
        State = new TState();
    }
}

/// <summary>What the activation needs of a state it injected: bind it to the grain and load it.</summary>
internal interface IPersistentStateLoader
{
    void Bind(GrainId grainId);

    Task ReadStateAsync(CancellationToken cancellationToken = default);
}
