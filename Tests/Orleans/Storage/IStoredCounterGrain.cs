namespace OrleansDcos.Tests.Orleans.Storage;

/// <summary>A counter kept in grain storage "Default".</summary>
public interface IStoredCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds and stores.</summary>
    Task Add(int amount);

    /// <summary>The stored total.</summary>
    Task<int> Get();
}
