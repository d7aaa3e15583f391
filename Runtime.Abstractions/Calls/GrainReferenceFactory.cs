using System.Reflection;

namespace OrleansDcos.Runtime;

/// <summary>Makes typed grain references that send their calls to one sink.</summary>
public class GrainReferenceFactory(IGrainCallSink sink) : IGrainFactory
{
    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey => Create<TGrain>(key);

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey => Create<TGrain>(GrainId.KeyOf(key));

    /// <summary>A reference to <paramref name="interfaceType"/> with key <paramref name="key"/>.</summary>
    public object GetGrain(Type interfaceType, string key)
    {
        var proxy = (GrainProxy)DispatchProxy.Create(interfaceType, typeof(GrainProxy));
        proxy.Initialize(sink, GrainInterfaceInfo.Of(interfaceType), key);
        return proxy;
    }

    private TGrain Create<TGrain>(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return (TGrain)GetGrain(typeof(TGrain), key);
    }
}
