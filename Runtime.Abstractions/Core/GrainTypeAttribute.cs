namespace OrleansDcos.Runtime;

/// <summary>Names a grain class's type in grain ids (default: the class name, lowercased, without a trailing "Grain").</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    /// <summary>The grain type name.</summary>
    public string Name { get; } = name;
}
