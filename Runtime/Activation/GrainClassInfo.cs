using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Runtime.Storage;

namespace OrleansDcos.Runtime.Activation;

/// <summary>A grain class: its grain type name, reentrancy, and how to construct it with its states and services.</summary>
internal sealed class GrainClassInfo
{
    /// <summary>The storage provider used when a state names none.</summary>
    public const string DefaultStorage = "Default";

    private readonly ConstructorInfo _constructor;
    private readonly ParameterInfo[] _parameters;

    public GrainClassInfo(Type classType)
    {
        ClassType = classType;
        GrainType = classType.GetCustomAttribute<GrainTypeAttribute>()?.Name ?? DefaultTypeName(classType);
        Reentrant = classType.IsDefined(typeof(ReentrantAttribute), inherit: true);
        _constructor = classType.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"grain class {classType.FullName} has no public constructor");
        _parameters = _constructor.GetParameters();
        IsRemindable = typeof(IRemindable).IsAssignableFrom(classType);
    }

    public Type ClassType { get; }

    public string GrainType { get; }

    public bool Reentrant { get; }

    public bool IsRemindable { get; }

    /// <summary>Builds the grain: persistent-state parameters get a state bound to their storage; others come from <paramref name="services"/>.</summary>
    public (Grain Grain, IReadOnlyList<IPersistentStateLoader> States) Create(IServiceProvider services, GrainId grainId, JsonSerializerOptions json)
    {
        var arguments = new object?[_parameters.Length];
        var states = new List<IPersistentStateLoader>();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
            {
                var storageName = attribute.StorageName ?? DefaultStorage;
                var storage = services.GetKeyedService<IGrainStorage>(storageName)
                    ?? throw new InvalidOperationException($"grain {GrainType}: no grain storage named '{storageName}' is registered (state '{attribute.StateName}')");
                var stateType = parameter.ParameterType.GetGenericArguments()[0];
                var state = (IPersistentStateLoader)Activator.CreateInstance(typeof(PersistentState<>).MakeGenericType(stateType), attribute.StateName, storage, json)!;
                state.Bind(grainId);
                states.Add(state);
                arguments[i] = state;
            }
            else
            {
                arguments[i] = services.GetService(parameter.ParameterType)
                    ?? throw new InvalidOperationException($"grain {GrainType}: no service registered for constructor parameter '{parameter.Name}' ({parameter.ParameterType.Name})");
            }
        }

        try
        {
            return ((Grain)_constructor.Invoke(arguments), states);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    private static string DefaultTypeName(Type type)
    {
        var name = type.Name;
        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }
}
