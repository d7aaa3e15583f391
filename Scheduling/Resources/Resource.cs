namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// One resource of one role: <c>cpus:4</c> (unreserved, role <c>*</c>), <c>cpus(analytics):4</c>
/// (statically reserved for the role), <c>ports:[31000-32000]</c>, <c>bugs:{a,b}</c>; dynamically reserved
/// (<see cref="Reservation"/>) and persistent volumes (<see cref="Volume"/>) carry them in the text as
/// <c>disk(db,dynamic=marathon,label.k=v)[id=vol1,path=data,mode=RW]:512</c> (values percent-encoded). Immutable.
/// </summary>
public sealed record Resource
{
    /// <summary>The role of unreserved resources.</summary>
    public const string AnyRole = "*";

    private Resource(string name, string role, ResourceKind kind, Scalar scalar, ValueRanges? ranges, ValueSet? set, Reservation? reservation = null, PersistentVolume? volume = null)
    {
        Name = name;
        Role = role;
        Kind = kind;
        Scalar = scalar;
        Ranges = ranges;
        Set = set;
        Reservation = reservation;
        Volume = volume;
        Qualifier = ResourceQualifier.FormatReservation(reservation) + ResourceQualifier.FormatVolume(volume);
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

    /// <summary>The dynamic reservation, or null (unreserved or statically reserved).</summary>
    public Reservation? Reservation { get; }

    /// <summary>The persistent volume on this disk, or null.</summary>
    public PersistentVolume? Volume { get; }

    /// <summary>The text of <see cref="Reservation"/> and <see cref="Volume"/> (empty for plain resources); part of the identity.</summary>
    internal string Qualifier { get; }

    /// <summary>True when unreserved.</summary>
    public bool IsUnreserved => Role == AnyRole;

    /// <summary>True when dynamically reserved.</summary>
    public bool IsDynamicallyReserved => Reservation is not null;

    /// <summary>
    /// A reserved resource: <paramref name="reservation"/> makes it dynamic (else static), <paramref name="volume"/> a
    /// persistent volume (disk only).
    /// </summary>
    /// <exception cref="ArgumentException">Reserved for <c>*</c>, a volume on a resource other than scalar disk.</exception>
    public static Resource Reserved(Resource plain, string role, Reservation? reservation, PersistentVolume? volume = null)
    {
        if (role == AnyRole && (reservation is not null || volume is not null))
        {
            throw new ArgumentException($"{plain.Name} reserved for role '*': a dynamic reservation or a volume needs a role", nameof(role));
        }

        if (volume is not null && (plain.Name != Resources.Disk || plain.Kind != ResourceKind.Scalar))
        {
            throw new ArgumentException($"a persistent volume is made of disk, not {plain.Name}", nameof(volume));
        }

        return new(plain.Name, role, plain.Kind, plain.Scalar, plain.Ranges, plain.Set, reservation, volume);
    }

    /// <summary>The same resource without its volume (what CREATE consumed and DESTROY gives back).</summary>
    public Resource WithoutVolume() => Volume is null ? this : new(Name, Role, Kind, Scalar, Ranges, Set, Reservation);

    /// <summary>The same resource unreserved (what RESERVE consumed and UNRESERVE gives back).</summary>
    public Resource AsUnreserved() => new(Name, AnyRole, Kind, Scalar, Ranges, Set);

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

    /// <summary>The same resource with another role (and no dynamic reservation or volume).</summary>
    public Resource WithRole(string role) => new(Name, role, Kind, Scalar, Ranges, Set);


    /// <summary>Sum of two resources of the same name, role and kind.</summary>
    /// <exception cref="ArgumentException">Both are the same persistent volume (a volume is one whole, never two).</exception>
    internal Resource Plus(Resource other)
    {
        if (Volume is not null)
        {
            throw new ArgumentException($"persistent volume '{Volume.Id}' ({Role}) is there twice", nameof(other));
        }

        return Kind switch
        {
            ResourceKind.Scalar => new(Name, Role, Kind, Scalar + other.Scalar, null, null, Reservation),
            ResourceKind.Ranges => new(Name, Role, Kind, Scalar.Zero, Ranges!.Union(other.Ranges!), null, Reservation),
            _ => new(Name, Role, Kind, Scalar.Zero, null, Set!.Union(other.Set!), Reservation),
        };
    }

    /// <summary>Difference of two resources of the same name, role and kind (caller checked containment).</summary>
    internal Resource Minus(Resource other) => Kind switch
    {
        ResourceKind.Scalar => new(Name, Role, Kind, Scalar - other.Scalar, null, null, Reservation, Volume),
        ResourceKind.Ranges => new(Name, Role, Kind, Scalar.Zero, Ranges!.Subtract(other.Ranges!), null, Reservation),
        _ => new(Name, Role, Kind, Scalar.Zero, null, Set!.Subtract(other.Set!), Reservation),
    };

    /// <summary>True when this resource holds at least <paramref name="other"/> (same identity); a volume only whole.</summary>
    internal bool Holds(Resource other) => Kind switch
    {
        ResourceKind.Scalar => Volume is null ? Scalar >= other.Scalar : Scalar == other.Scalar,
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
        return IsUnreserved ? $"{Name}:{value}" : $"{Name}({Role}{ResourceQualifier.FormatReservation(Reservation)}){ResourceQualifier.FormatVolume(Volume)}:{value}";
    }
}
