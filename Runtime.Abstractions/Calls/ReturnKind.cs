namespace OrleansDcos.Runtime;

/// <summary>What a grain method returns.</summary>
public enum ReturnKind
{
    /// <summary><see cref="System.Threading.Tasks.Task"/>.</summary>
    Task,

    /// <summary><see cref="Task{TResult}"/>.</summary>
    TaskOfT,

    /// <summary><see cref="System.Threading.Tasks.ValueTask"/>.</summary>
    ValueTask,

    /// <summary><see cref="ValueTask{TResult}"/>.</summary>
    ValueTaskOfT,
}

/// <summary>The result type of methods that return no value.</summary>
public readonly record struct VoidResult;
