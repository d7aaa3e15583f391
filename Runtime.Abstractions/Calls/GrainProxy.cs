using System.Reflection;

namespace OrleansDcos.Runtime;

/// <summary>
/// The typed reference behind every grain interface (a <see cref="DispatchProxy"/>): each call becomes
/// a <see cref="GrainRequest"/> carrying the current call chain, handed to the sink.
/// </summary>
public class GrainProxy : DispatchProxy
{
    private IGrainCallSink _sink = null!;
    private GrainInterfaceInfo _interface = null!;

    /// <summary>The grain key.</summary>
    public string Key { get; private set; } = string.Empty;

    /// <summary>The grain interface.</summary>
    public Type InterfaceType => _interface.InterfaceType;

    internal void Initialize(IGrainCallSink sink, GrainInterfaceInfo info, string key)
    {
        _sink = sink;
        _interface = info;
        Key = key;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = _interface.Find(targetMethod!);
        var request = method.CreateRequest(_interface.InterfaceType, Key, args ?? []);
        request.CallChain = method.OneWay ? null : RuntimeContext.CurrentChain; // nobody waits on a one-way call: it starts a chain of its own
        _sink.Send(request);
        return method.ReturnValueOf(request);
    }
}
