using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansDcos.Runtime;

/// <summary>The methods of a grain interface (including inherited ones), validated once and cached.</summary>
public sealed class GrainInterfaceInfo
{
    private static readonly ConcurrentDictionary<Type, GrainInterfaceInfo> Cache = new();
    private readonly Dictionary<MethodInfo, GrainMethod> _byMethod = [];
    private readonly Dictionary<string, GrainMethod> _byWireName = new(StringComparer.Ordinal);

    private GrainInterfaceInfo(Type interfaceType)
    {
        if (!interfaceType.IsInterface || !typeof(IGrain).IsAssignableFrom(interfaceType))
        {
            throw new ArgumentException($"{interfaceType.FullName} is not a grain interface (an interface deriving from IGrain)", nameof(interfaceType));
        }

        InterfaceType = interfaceType;
        foreach (var type in interfaceType.GetInterfaces().Append(interfaceType))
        {
            foreach (var method in type.GetMethods())
            {
                var grainMethod = new GrainMethod(interfaceType, method);
                _byMethod.Add(method, grainMethod);
                _byWireName.TryAdd($"{type.FullName}.{grainMethod.WireName}", grainMethod);
            }
        }

        Name = interfaceType.FullName!;
    }

    /// <summary>The interface.</summary>
    public Type InterfaceType { get; }

    /// <summary>Its full name, as sent over the wire.</summary>
    public string Name { get; }

    /// <summary>Every method.</summary>
    public IEnumerable<GrainMethod> Methods => _byMethod.Values;

    /// <summary>The metadata of <paramref name="interfaceType"/>.</summary>
    /// <exception cref="NotSupportedException">A method does not return a Task or ValueTask.</exception>
    public static GrainInterfaceInfo Of(Type interfaceType) => Cache.GetOrAdd(interfaceType, static t => new GrainInterfaceInfo(t));

    /// <summary>The metadata of an interface method.</summary>
    public GrainMethod Find(MethodInfo method) => _byMethod[method];

    /// <summary>The method named <c>DeclaringInterface.FullName + "." + WireName</c>, or null.</summary>
    public GrainMethod? FindByWireName(string name) => _byWireName.GetValueOrDefault(name);

    /// <summary>The wire name of <paramref name="method"/> (its declaring interface's full name, then name and parameter types).</summary>
    public static string WireNameOf(GrainMethod method) => $"{method.Method.DeclaringType!.FullName}.{method.WireName}";
}
