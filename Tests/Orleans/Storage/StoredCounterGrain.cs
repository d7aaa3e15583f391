namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>A counter kept in grain storage "Default".</summary>
public interface IStoredCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds and stores.</summary>
    Task Add(int amount);

    /// <summary>The stored total.</summary>
    Task<int> Get();
}

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
