using System.Collections;

namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// An immutable bag of resources (Mesos' <c>Resources</c>): at most one entry per (name, role),
/// no empty entries, sorted by name then role. Addition, subtraction and containment are exact.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ResourcesJsonConverter))]
public sealed class Resources : IEquatable<Resources>, IReadOnlyCollection<Resource>
{
    /// <summary>Well-known resource names.</summary>
    public const string Cpus = "cpus", Mem = "mem", Disk = "disk", Gpus = "gpus", Ports = "ports";

    private const int MaxCached = 4096;
    private const int MaxCachedText = 512;

    /// <summary>No resources.</summary>
    public static readonly Resources Empty = new([]);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Resources> ParsedCache = new(StringComparer.Ordinal);

    private readonly Resource[] _items;
    private string? _text;

    private Resources(Resource[] normalized) => _items = normalized;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <summary>True when there is nothing.</summary>
    public bool IsEmpty => _items.Length == 0;

    /// <summary>Builds a bag, merging entries of the same name and role.</summary>
    /// <exception cref="ArgumentException">Two entries of one name have different kinds.</exception>
    public static Resources From(IEnumerable<Resource> resources)
    {
        var items = resources.Where(r => !r.IsEmpty).ToArray();
        if (items.Length <= 1)
        {
            return items.Length == 0 ? Empty : new Resources(items);
        }

        Array.Sort(items, CompareKeys);
        var merged = new List<Resource>(items.Length) { items[0] };
        for (var i = 1; i < items.Length; i++)
        {
            var last = merged[^1];
            if (CompareKeys(last, items[i]) == 0)
            {
                if (last.Kind != items[i].Kind)
                {
                    throw new ArgumentException($"resource '{last.Name}' is both {last.Kind} and {items[i].Kind}", nameof(resources));
                }

                merged[^1] = last.Plus(items[i]);
            }
            else
            {
                if (last.Name == items[i].Name && last.Kind != items[i].Kind)
                {
                    throw new ArgumentException($"resource '{last.Name}' is both {last.Kind} and {items[i].Kind}", nameof(resources));
                }

                merged.Add(items[i]);
            }
        }

        return new Resources([.. merged]);
    }

    /// <summary>
    /// Parses the Mesos agent syntax, e.g. <c>cpus:8;mem:16384;ports:[31000-32000];cpus(analytics):4</c>. Texts seen
    /// recently are answered from a cache (tasks and offers repeat the same few texts; the result is immutable).
    /// </summary>
    /// <exception cref="ResourceParseException">The text is malformed; the message names the fragment.</exception>
    public static Resources Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ParsedCache.TryGetValue(text, out var known))
        {
            return known;
        }

        var parsed = ResourcesParser.Parse(text);
        if (text.Length <= MaxCachedText)
        {
            if (ParsedCache.Count >= MaxCached)
            {
                ParsedCache.Clear();
            }

            ParsedCache[text] = parsed;
        }

        return parsed;
    }

    /// <summary>The port numbers held (every <c>ports</c> resource, each range in order).</summary>
    public IEnumerable<int> PortNumbers() =>
        this.Where(r => r.Name == Ports && r.Ranges is not null).SelectMany(r => r.Ranges!.Values()).Select(p => (int)p);

    /// <summary>Adds one resource.</summary>
    public Resources Plus(Resource resource)
    {
        if (resource.IsEmpty)
        {
            return this;
        }

        var index = IndexOf(resource.Name, resource.Role, resource.Qualifier);
        if (index >= 0)
        {
            var existing = _items[index];
            if (existing.Kind != resource.Kind)
            {
                throw new ArgumentException($"resource '{resource.Name}' is both {existing.Kind} and {resource.Kind}", nameof(resource));
            }

            var copy = (Resource[])_items.Clone();
            copy[index] = existing.Plus(resource);
            return new Resources(copy);
        }

        CheckKindAcrossRoles(resource);
        var insertAt = ~index;
        var items = new Resource[_items.Length + 1];
        Array.Copy(_items, items, insertAt);
        items[insertAt] = resource;
        Array.Copy(_items, insertAt, items, insertAt + 1, _items.Length - insertAt);
        return new Resources(items);
    }

    /// <summary>Sum.</summary>
    public Resources Plus(Resources other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        var result = this;
        foreach (var resource in other._items)
        {
            result = result.Plus(resource);
        }

        return result;
    }

    /// <summary>True when every resource of <paramref name="other"/> is held here, role by role.</summary>
    public bool Contains(Resources other)
    {
        foreach (var wanted in other._items)
        {
            var index = IndexOf(wanted.Name, wanted.Role, wanted.Qualifier);
            if (index < 0 || _items[index].Kind != wanted.Kind || !_items[index].Holds(wanted))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// What this and <paramref name="other"/> have in common, role by role: the smaller scalar, the
    /// common ranges and set items. Splits a need over several offers of one agent.
    /// </summary>
    public Resources Intersect(Resources other)
    {
        var items = new List<Resource>();
        foreach (var mine in _items)
        {
            var index = other.IndexOf(mine.Name, mine.Role, mine.Qualifier);
            if (index < 0 || other._items[index].Kind != mine.Kind)
            {
                continue;
            }

            var theirs = other._items[index];
            if (mine.Volume is not null)
            {
                items.Add(mine);
                continue;
            }

            var common = mine.Kind switch
            {
                ResourceKind.Scalar => Resource.OfScalar(mine.Name, mine.Scalar < theirs.Scalar ? mine.Scalar : theirs.Scalar, mine.Role),
                ResourceKind.Ranges => Resource.OfRanges(mine.Name, mine.Ranges!.Subtract(mine.Ranges!.Subtract(theirs.Ranges!)), mine.Role),
                _ => Resource.OfSet(mine.Name, mine.Set!.Subtract(mine.Set!.Subtract(theirs.Set!)), mine.Role),
            };
            if (mine.Reservation is not null && !common.IsEmpty)
            {
                common = Resource.Reserved(common, mine.Role, mine.Reservation);
            }

            if (!common.IsEmpty)
            {
                items.Add(common);
            }
        }

        return From(items);
    }

    /// <summary>Difference.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="other"/> is not contained here.</exception>
    public Resources Minus(Resources other)
    {
        if (other.IsEmpty)
        {
            return this;
        }

        if (!Contains(other))
        {
            throw new InvalidOperationException($"cannot subtract {other} from {this}: not contained");
        }

        // Both arrays are sorted by (name, role) and other's keys are all here: one merge walk.
        var items = new List<Resource>(_items.Length);
        var j = 0;
        foreach (var item in _items)
        {
            if (j < other._items.Length && CompareKeys(item, other._items[j]) == 0)
            {
                var left = item.Minus(other._items[j++]);
                if (!left.IsEmpty)
                {
                    items.Add(left);
                }
            }
            else
            {
                items.Add(item);
            }
        }

        return new Resources([.. items]);
    }

    /// <summary>The amount of scalar <paramref name="name"/> over all roles.</summary>
    public Scalar ScalarTotal(string name)
    {
        var total = Scalar.Zero;
        foreach (var item in _items)
        {
            if (item.Name == name && item.Kind == ResourceKind.Scalar)
            {
                total += item.Scalar;
            }
        }

        return total;
    }

    /// <summary>The amount of scalar <paramref name="name"/> of one role (static and dynamic reservations, volumes included).</summary>
    public Scalar ScalarOf(string name, string role = Resource.AnyRole)
    {
        var total = Scalar.Zero;
        for (var index = FirstOf(name, role); index < _items.Length && _items[index].Name == name && _items[index].Role == role; index++)
        {
            if (_items[index].Kind == ResourceKind.Scalar)
            {
                total += _items[index].Scalar;
            }
        }

        return total;
    }

    /// <summary>The ranges of <paramref name="name"/> of one role (static and dynamic reservations together).</summary>
    public ValueRanges RangesOf(string name, string role = Resource.AnyRole)
    {
        var ranges = ValueRanges.Empty;
        for (var index = FirstOf(name, role); index < _items.Length && _items[index].Name == name && _items[index].Role == role; index++)
        {
            if (_items[index].Kind == ResourceKind.Ranges)
            {
                ranges = ranges.IsEmpty ? _items[index].Ranges! : ranges.Union(_items[index].Ranges!);
            }
        }

        return ranges;
    }

    /// <summary>The persistent volumes held.</summary>
    public IEnumerable<Resource> Volumes => _items.Where(r => r.Volume is not null);

    /// <summary>The dynamically reserved resources and volumes (what an agent keeps beyond its static resources).</summary>
    public Resources Dynamic => _items.Any(r => r.Qualifier.Length > 0) ? new(_items.Where(r => r.Qualifier.Length > 0).ToArray()) : Empty;

    /// <summary>The resources whose role is one of <paramref name="roles"/> (<c>*</c> selects unreserved ones).</summary>
    public Resources ForRoles(IReadOnlyCollection<string> roles)
    {
        if (_items.All(r => roles.Contains(r.Role)))
        {
            return this;
        }

        return new Resources(_items.Where(r => roles.Contains(r.Role)).ToArray());
    }

    /// <summary>What a framework of <paramref name="role"/> may use: unreserved resources plus those reserved for it.</summary>
    public Resources AllocatableTo(string role)
    {
        foreach (var item in _items)
        {
            if (!item.IsUnreserved && item.Role != role)
            {
                return new(_items.Where(r => r.IsUnreserved || r.Role == role).ToArray());
            }
        }

        return this;
    }

    /// <summary>The unreserved resources.</summary>
    public Resources Unreserved => new(_items.Where(r => r.IsUnreserved).ToArray());

    /// <summary>The distinct roles present.</summary>
    public IEnumerable<string> Roles => _items.Select(r => r.Role).Distinct();

    /// <summary>Mesos text: entries joined by <c>;</c>.</summary>
    public override string ToString() => _text ??= string.Join(';', _items.Select(r => r.ToString()));

    /// <inheritdoc />
    public bool Equals(Resources? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Resources);

    /// <inheritdoc />
    public override int GetHashCode() => _items.Aggregate(17, (hash, item) => hash * 31 + item.GetHashCode());

    /// <inheritdoc />
    public IEnumerator<Resource> GetEnumerator() => ((IEnumerable<Resource>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void CheckKindAcrossRoles(Resource resource)
    {
        foreach (var item in _items)
        {
            if (item.Name == resource.Name && item.Kind != resource.Kind)
            {
                throw new ArgumentException($"resource '{resource.Name}' is both {item.Kind} and {resource.Kind}", nameof(resource));
            }
        }
    }

    private static int CompareKeys(Resource a, Resource b)
    {
        var cmp = string.CompareOrdinal(a.Name, b.Name);
        cmp = cmp != 0 ? cmp : string.CompareOrdinal(a.Role, b.Role);
        return cmp != 0 ? cmp : string.CompareOrdinal(a.Qualifier, b.Qualifier);
    }

    /// <summary>The index of the first entry of (name, role), plain ones first (their qualifier is empty).</summary>
    private int FirstOf(string name, string role)
    {
        var index = IndexOf(name, role, "");
        return index >= 0 ? index : ~index;
    }

    /// <summary>Binary search by (name, role, qualifier); the complement of the insertion point when absent.</summary>
    private int IndexOf(string name, string role, string qualifier)
    {
        int lo = 0, hi = _items.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = string.CompareOrdinal(_items[mid].Name, name);
            if (cmp == 0)
            {
                cmp = string.CompareOrdinal(_items[mid].Role, role);
            }

            if (cmp == 0)
            {
                cmp = string.CompareOrdinal(_items[mid].Qualifier, qualifier);
            }

            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
