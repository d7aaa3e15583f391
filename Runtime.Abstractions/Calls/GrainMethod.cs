using System.Linq.Expressions;
using System.Reflection;

namespace OrleansDcos.Runtime;

/// <summary>
/// What the runtime knows of one grain interface method: how it returns, whether it may
/// interleave, how to invoke it on a grain (a compiled delegate, not reflection), and how to make
/// a typed request for it.
/// </summary>
public sealed class GrainMethod
{
    private readonly Func<GrainMethod, Type, string, object?[], GrainRequest> _newRequest;

    internal GrainMethod(Type interfaceType, MethodInfo method)
    {
        InterfaceType = interfaceType;
        Method = method;
        Parameters = method.GetParameters().Select(p => p.ParameterType).ToArray();
        WireName = $"{method.Name}({string.Join(',', Parameters.Select(p => p.Name))})";
        (Kind, ResultType) = Classify(method);
        AlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute));
        ReadOnly = method.IsDefined(typeof(ReadOnlyAttribute));
        OneWay = method.IsDefined(typeof(OneWayAttribute));
        if (OneWay && Kind is not (ReturnKind.Task or ReturnKind.ValueTask))
        {
            throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name} is [OneWay] but returns a value: one-way methods return Task or ValueTask");
        }
        Invoke = CompileInvoker(method, Kind);
        var factory = typeof(GrainMethod).GetMethod(nameof(NewRequest), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(ResultType);
        _newRequest = factory.CreateDelegate<Func<GrainMethod, Type, string, object?[], GrainRequest>>();
    }

    /// <summary>The grain interface that declares the method.</summary>
    public Type InterfaceType { get; }

    /// <summary>The interface method.</summary>
    public MethodInfo Method { get; }

    /// <summary>Name and parameter types, unique within the interface: <c>Launch(String,Int32)</c>.</summary>
    public string WireName { get; }

    /// <summary>Parameter types.</summary>
    public IReadOnlyList<Type> Parameters { get; }

    /// <summary>How it returns.</summary>
    public ReturnKind Kind { get; }

    /// <summary>The result type (<see cref="VoidResult"/> for Task and ValueTask).</summary>
    public Type ResultType { get; }

    /// <summary>Marked <see cref="AlwaysInterleaveAttribute"/>.</summary>
    public bool AlwaysInterleave { get; }

    /// <summary>Marked <see cref="ReadOnlyAttribute"/>.</summary>
    public bool ReadOnly { get; }

    /// <summary>Marked <see cref="OneWayAttribute"/>: the caller does not wait.</summary>
    public bool OneWay { get; }

    /// <summary>Calls the method on a grain instance; a ValueTask result is turned into a Task.</summary>
    public Func<object, object?[], Task> Invoke { get; }

    /// <summary>A new request of the right result type.</summary>
    public GrainRequest CreateRequest(Type interfaceType, string key, object?[] arguments) => _newRequest(this, interfaceType, key, arguments);

    /// <summary>What the proxy returns for <paramref name="request"/>: its Task, or a ValueTask over it.</summary>
    internal object ReturnValueOf(GrainRequest request) => OneWay
        ? Kind == ReturnKind.ValueTask ? ValueTask.CompletedTask : Task.CompletedTask
        : Kind switch
    {
        ReturnKind.ValueTask => new ValueTask(request.ResultTask),
        ReturnKind.ValueTaskOfT => request.ValueTaskResult(),
        _ => request.ResultTask,
    };

    private static GrainRequest NewRequest<T>(GrainMethod method, Type interfaceType, string key, object?[] arguments) =>
        new GrainRequest<T>(method, interfaceType, key, arguments);

    private static (ReturnKind, Type) Classify(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task))
        {
            return (ReturnKind.Task, typeof(VoidResult));
        }

        if (type == typeof(ValueTask))
        {
            return (ReturnKind.ValueTask, typeof(VoidResult));
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return (ReturnKind.TaskOfT, type.GetGenericArguments()[0]);
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            return (ReturnKind.ValueTaskOfT, type.GetGenericArguments()[0]);
        }

        throw new NotSupportedException(
            $"{method.DeclaringType?.Name}.{method.Name} returns {type.Name}: grain methods return Task, Task<T>, ValueTask or ValueTask<T>");
    }

    private static Func<object, object?[], Task> CompileInvoker(MethodInfo method, ReturnKind kind)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var arguments = Expression.Parameter(typeof(object?[]), "arguments");
        var parameters = method.GetParameters()
            .Select((p, i) => Expression.Convert(Expression.ArrayIndex(arguments, Expression.Constant(i)), p.ParameterType));
        Expression call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, parameters);
        if (kind is ReturnKind.ValueTask or ReturnKind.ValueTaskOfT)
        {
            call = Expression.Call(call, method.ReturnType.GetMethod(nameof(ValueTask.AsTask))!);
        }

        return Expression.Lambda<Func<object, object?[], Task>>(Expression.Convert(call, typeof(Task)), grain, arguments).Compile();
    }
}
