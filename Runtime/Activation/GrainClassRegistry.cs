using System.Collections.Concurrent;
using System.Reflection;

namespace OrleansDcos.Runtime.Activation;

/// <summary>
/// Finds grain classes at start-up (subclasses of <see cref="Grain"/> in the given assemblies) and
/// maps every grain interface to the one class implementing it.
/// </summary>
internal sealed class GrainClassRegistry
{
    private static readonly Type[] MarkerInterfaces = [typeof(IGrain), typeof(IGrainWithStringKey), typeof(IGrainWithGuidKey), typeof(IRemindable)];
    private readonly Dictionary<Type, GrainClassInfo> _byInterface = [];
    private readonly Dictionary<string, GrainClassInfo> _byType = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, GrainClassInfo> _resolved = new();
    private readonly ConcurrentDictionary<(string GrainType, string Interface, string Method), GrainCallTarget?> _callTargets = new();

    public GrainClassRegistry(IEnumerable<Assembly> assemblies)
    {
        var claims = new Dictionary<Type, List<(GrainClassInfo Class, bool Inherited)>>();
        foreach (var type in assemblies.Distinct().SelectMany(SafeTypes))
        {
            if (!type.IsClass || type.IsAbstract || !typeof(Grain).IsAssignableFrom(type) || type.ContainsGenericParameters)
            {
                continue;
            }

            var info = new GrainClassInfo(type);
            if (!_byType.TryAdd(info.GrainType, info))
            {
                throw new InvalidOperationException($"grain type '{info.GrainType}' is used by both {_byType[info.GrainType].ClassType.FullName} and {type.FullName}: rename one with [GrainType]");
            }

            var grainInterfaces = type.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i) && !IsMarker(i)).ToArray();
            foreach (var grainInterface in grainInterfaces)
            {
                if (!claims.TryGetValue(grainInterface, out var list))
                {
                    claims[grainInterface] = list = [];
                }

                // A class that reaches the interface only through a derived grain interface claims it weakly.
                var inherited = grainInterfaces.Any(other => other != grainInterface && other.GetInterfaces().Contains(grainInterface));
                list.Add((info, inherited));
            }
        }

        foreach (var (grainInterface, all) in claims)
        {
            var direct = all.Where(c => !c.Inherited).Select(c => c.Class).ToList();
            var classes = direct.Count > 0 ? direct : all.Select(c => c.Class).ToList();
            if (classes.Count > 1)
            {
                throw new InvalidOperationException(
                    $"grain interface {grainInterface.FullName} is implemented by {string.Join(" and ", classes.Select(c => c.ClassType.FullName))}: each grain interface needs exactly one grain class");
            }

            _byInterface.Add(grainInterface, classes[0]);
        }
    }

    /// <summary>Every grain class.</summary>
    public IEnumerable<GrainClassInfo> Classes => _byType.Values;

    /// <summary>The class implementing <paramref name="grainInterface"/>.</summary>
    /// <exception cref="ArgumentException">No grain class implements it.</exception>
    public GrainClassInfo Resolve(Type grainInterface) => _resolved.GetOrAdd(grainInterface, t =>
        _byInterface.GetValueOrDefault(t)
        ?? throw new ArgumentException($"no grain class implements {t.FullName}; was its assembly given to AddGrainRuntime?", nameof(grainInterface)));

    /// <summary>The class of grain type <paramref name="grainType"/>, or null.</summary>
    public GrainClassInfo? ByType(string grainType) => _byType.GetValueOrDefault(grainType);

    /// <summary>
    /// What a call from another silo names — grain type, interface, method wire name — resolved here, or null.
    /// The interface may be one many classes share (IRemindable, IStreamConsumer&lt;T&gt;), which no
    /// interface-to-class map can resolve: the grain type names the class.
    /// </summary>
    public GrainCallTarget? FindCallTarget(string grainType, string interfaceName, string method) =>
        _callTargets.GetOrAdd((grainType, interfaceName, method), key =>
        {
            var grainClass = ByType(key.GrainType);
            var grainInterface = grainClass?.ClassType.GetInterfaces().FirstOrDefault(i => i.FullName == key.Interface);
            var found = grainInterface is null ? null : GrainInterfaceInfo.Of(grainInterface).FindByWireName(key.Method);
            return found is null ? null : new GrainCallTarget(grainClass!, grainInterface!, found);
        });

    /// <summary>The interface named <paramref name="fullName"/> that some grain class implements, or null.</summary>
    public Type? InterfaceNamed(string fullName) => _byInterface.Keys.FirstOrDefault(i => i.FullName == fullName);

    /// <summary>Interfaces many grain classes share (keys, reminders, stream consumption): never a call target by themselves.</summary>
    private static bool IsMarker(Type grainInterface) =>
        MarkerInterfaces.Contains(grainInterface)
        || (grainInterface.IsGenericType && grainInterface.GetGenericTypeDefinition() == typeof(IStreamConsumer<>));

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}

/// <summary>A grain class, the interface a call used and the method it named.</summary>
internal sealed record GrainCallTarget(GrainClassInfo Class, Type Interface, GrainMethod Method);
