namespace OrleansDcos.Tests.Orleans.Storage;

/// <inheritdoc cref="IStoredCounterGrain" />
public sealed class StoredCounterGrain([PersistentState("counter", "Default")] IPersistentState<StoredCounterGrain.Total> total) : Grain, IStoredCounterGrain
{
    /// <inheritdoc />
    public async Task Add(int amount)
    {
        total.State.Value += amount;
        await total.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<int> Get() => Task.FromResult(total.State.Value);

    /// <summary>The state.</summary>
    public sealed class Total
    {
        /// <summary>The total.</summary>
        public int Value { get; set; }
    }
}
