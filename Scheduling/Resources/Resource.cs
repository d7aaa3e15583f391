namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// One resource of one role: <c>cpus:4</c> (unreserved, role <c>*</c>), <c>cpus(analytics):4</c>
/// (statically reserved for the role), <c>ports:[31000-32000]</c>, <c>bugs:{a,b}</c>. Immutable.
/// </summary>
public sealed record Resource
{
    /// <summary>The role of unreserved resources.</summary>
    public const string AnyRole = "*";

    private Resource(string name, string role, ResourceKind kind, Scalar scalar, ValueRanges? ranges, ValueSet? set)
    {
        Name = name;
        Role = role;
        Kind = kind;
        Scalar = scalar;
        Ranges = ranges;
        Set = set;
    }

    /// <summary>The resource name (<c>cpus</c>, <c>mem</c>, <c>disk</c>, <c>gpus</c>, <c>ports</c>, or any other).</summary>
    public string Name { get; }

    /// <summary><c>*</c> when unreserved, else the role it is reserved for.</summary>
    public string Role { get; }

    /// <summary>The value type.</summary>
    public ResourceKind Kind { get; }

    /// <summary>The amount, for scalars.</summary>
    public Scalar Scalar { get; }

    /// <summary>The ranges, for range resources.</summary>
    public ValueRanges? Ranges { get; }

    /// <summary>The items, for set resources.</summary>
    public ValueSet? Set { get; }

    /// <summary>True when unreserved.</summary>
    public bool IsUnreserved => Role == AnyRole;

    /// <summary>True when it holds nothing (zero amount, no range, no item).</summary>
    public bool IsEmpty => Kind switch
    {
        ResourceKind.Scalar => Scalar.IsZero,
        ResourceKind.Ranges => Ranges!.IsEmpty,
        _ => Set!.IsEmpty,
    };

    /// <summary>A scalar resource.</summary>
    public static Resource OfScalar(string name, Scalar amount, string role = AnyRole) => new(name, role, ResourceKind.Scalar, amount, null, null);

    /// <summary>A scalar resource from a number.</summary>
    public static Resource OfScalar(string name, double amount, string role = AnyRole) => OfScalar(name, Scalar.FromDouble(amount), role);

    /// <summary>A range resource.</summary>
    public static Resource OfRanges(string name, ValueRanges ranges, string role = AnyRole) => new(name, role, ResourceKind.Ranges, Scalar.Zero, ranges, null);

    /// <summary>A set resource.</summary>
    public static Resource OfSet(string name, ValueSet set, string role = AnyRole) => new(name, role, ResourceKind.Set, Scalar.Zero, null, set);

    /// <summary>The same resource with another role.</summary>
    public Resource WithRole(string role) => new(Name, role, Kind, Scalar, Ranges, Set);

    /// <summary>Sum of two resources of the same name, role and kind.</summary>
    internal Resource Plus(Resource other) => Kind switch
    {
        ResourceKind.Scalar => new(Name, Role, Kind, Scalar + other.Scalar, null, null),
        ResourceKind.Ranges => new(Name, Role, Kind, Scalar.Zero, Ranges!.Union(other.Ranges!), null),
        _ => new(Name, Role, Kind, Scalar.Zero, null, Set!.Union(other.Set!)),
    };

    /// <summary>Difference of two resources of the same name, role and kind (caller checked containment).</summary>
    internal Resource Minus(Resource other) => Kind switch
    {
        ResourceKind.Scalar => new(Name, Role, Kind, Scalar - other.Scalar, null, null),
        ResourceKind.Ranges => new(Name, Role, Kind, Scalar.Zero, Ranges!.Subtract(other.Ranges!), null),
        _ => new(Name, Role, Kind, Scalar.Zero, null, Set!.Subtract(other.Set!)),
    };

    /// <summary>True when this resource holds at least <paramref name="other"/> (same name, role and kind).</summary>
    internal bool Holds(Resource other) => Kind switch
    {
        ResourceKind.Scalar => Scalar >= other.Scalar,
        ResourceKind.Ranges => Ranges!.Contains(other.Ranges!),
        _ => Set!.Contains(other.Set!),
    };

    /// <summary>Mesos text: <c>name(role):value</c>, the role omitted when unreserved.</summary>
    public override string ToString()
    {
        var value = Kind switch
        {
            ResourceKind.Scalar => Scalar.ToString(),
            ResourceKind.Ranges => Ranges!.ToString(),
            _ => Set!.ToString(),
        };
        return IsUnreserved ? $"{Name}:{value}" : $"{Name}({Role}):{value}";
    }
}
