namespace OrleansDcos.Runtime;

/// <summary>Gives typed references to grains. A reference is cheap; the grain activates on its first call.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the string-keyed grain <paramref name="key"/> behind <typeparamref name="TGrain"/>.</summary>
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;

    /// <summary>A reference to the Guid-keyed grain <paramref name="key"/> behind <typeparamref name="TGrain"/>.</summary>
    TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey;
}
