namespace OrleansDcos.Scheduling.Resources;

/// <summary>An immutable, sorted set of text items: <c>{a,b,c}</c>.</summary>
public sealed class ValueSet : IEquatable<ValueSet>
{
    private readonly string[] _items;

    /// <summary>The empty set.</summary>
    public static readonly ValueSet Empty = new([]);

    private ValueSet(string[] sortedDistinct) => _items = sortedDistinct;

    /// <summary>The items, sorted ordinally.</summary>
    public IReadOnlyList<string> Items => _items;

    /// <summary>True when the set holds nothing.</summary>
    public bool IsEmpty => _items.Length == 0;

    /// <summary>Builds a set from items in any order.</summary>
    public static ValueSet From(IEnumerable<string> items) =>
        new(items.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    /// <summary>True when every item of <paramref name="other"/> is here.</summary>
    public bool Contains(ValueSet other) => other._items.All(item => Array.BinarySearch(_items, item, StringComparer.Ordinal) >= 0);

    /// <summary>Union.</summary>
    public ValueSet Union(ValueSet other) => From(_items.Concat(other._items));

    /// <summary>The items not in <paramref name="other"/>.</summary>
    public ValueSet Subtract(ValueSet other) => new(_items.Where(item => Array.BinarySearch(other._items, item, StringComparer.Ordinal) < 0).ToArray());

    /// <summary>Mesos text: <c>{a,b}</c>.</summary>
    public override string ToString() => "{" + string.Join(',', _items) + "}";

    /// <inheritdoc />
    public bool Equals(ValueSet? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueSet);

    /// <inheritdoc />
    public override int GetHashCode() => _items.Aggregate(17, (hash, item) => hash * 31 + StringComparer.Ordinal.GetHashCode(item));
}
