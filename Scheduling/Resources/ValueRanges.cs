using System.Globalization;
using System.Text;

namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// An immutable set of unsigned integers kept as sorted, non-overlapping, non-adjacent
/// inclusive ranges (port ranges): <c>[31000-32000,33000-33005]</c>.
/// </summary>
public sealed class ValueRanges : IEquatable<ValueRanges>
{
    private readonly (ulong Begin, ulong End)[] _ranges;

    /// <summary>The empty set.</summary>
    public static readonly ValueRanges Empty = new([]);

    private ValueRanges((ulong Begin, ulong End)[] normalized)
    {
        _ranges = normalized;
        ulong count = 0;
        foreach (var (begin, end) in normalized)
        {
            count += end - begin + 1;
        }

        Count = count;
    }

    /// <summary>The ranges, sorted and coalesced.</summary>
    public IReadOnlyList<(ulong Begin, ulong End)> Ranges => _ranges;

    /// <summary>How many values the set holds.</summary>
    public ulong Count { get; }

    /// <summary>True when the set holds nothing.</summary>
    public bool IsEmpty => _ranges.Length == 0;

    /// <summary>Builds a set from ranges in any order, overlapping or not.</summary>
    public static ValueRanges From(IEnumerable<(ulong Begin, ulong End)> ranges)
    {
        var list = ranges.ToList();
        foreach (var (begin, end) in list)
        {
            if (begin > end)
            {
                throw new ArgumentException($"range {begin}-{end} ends before it begins", nameof(ranges));
            }
        }

        return new ValueRanges(Normalize(list));
    }

    /// <summary>One range.</summary>
    public static ValueRanges Of(ulong begin, ulong end) => From([(begin, end)]);

    /// <summary>Single values.</summary>
    public static ValueRanges OfValues(IEnumerable<ulong> values) => From(values.Select(v => (v, v)));

    /// <summary>True when <paramref name="value"/> is in the set.</summary>
    public bool Contains(ulong value)
    {
        int lo = 0, hi = _ranges.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value < _ranges[mid].Begin)
            {
                hi = mid - 1;
            }
            else if (value > _ranges[mid].End)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when every value of <paramref name="other"/> is in this set.</summary>
    public bool Contains(ValueRanges other)
    {
        var i = 0;
        foreach (var (begin, end) in other._ranges)
        {
            while (i < _ranges.Length && _ranges[i].End < begin)
            {
                i++;
            }

            if (i == _ranges.Length || _ranges[i].Begin > begin || _ranges[i].End < end)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Union.</summary>
    public ValueRanges Union(ValueRanges other) =>
        other.IsEmpty ? this : IsEmpty ? other : new ValueRanges(Normalize(_ranges.Concat(other._ranges).ToList()));

    /// <summary>Difference: the values of this set that are not in <paramref name="other"/>.</summary>
    public ValueRanges Subtract(ValueRanges other)
    {
        if (other.IsEmpty || IsEmpty)
        {
            return this;
        }

        var result = new List<(ulong, ulong)>(_ranges.Length + 1);
        var j = 0;
        foreach (var (rangeBegin, end) in _ranges)
        {
            var begin = rangeBegin;
            var open = true;
            while (j < other._ranges.Length && other._ranges[j].End < begin)
            {
                j++;
            }

            var k = j;
            while (open && k < other._ranges.Length && other._ranges[k].Begin <= end)
            {
                var (cutBegin, cutEnd) = other._ranges[k];
                if (cutBegin > begin)
                {
                    result.Add((begin, cutBegin - 1));
                }

                if (cutEnd >= end)
                {
                    open = false;
                }
                else
                {
                    begin = Math.Max(begin, cutEnd + 1);
                    k++;
                }
            }

            if (open)
            {
                result.Add((begin, end));
            }
        }

        return new ValueRanges([.. result]);
    }

    /// <summary>The <paramref name="count"/> lowest values, or null when there are fewer.</summary>
    public ValueRanges? TakeLowest(ulong count)
    {
        if (count > Count)
        {
            return null;
        }

        var taken = new List<(ulong, ulong)>();
        var left = count;
        foreach (var (begin, end) in _ranges)
        {
            if (left == 0)
            {
                break;
            }

            var size = end - begin + 1;
            var take = Math.Min(size, left);
            taken.Add((begin, begin + take - 1));
            left -= take;
        }

        return new ValueRanges([.. taken]);
    }

    /// <summary>Every value, lowest first.</summary>
    public IEnumerable<ulong> Values()
    {
        foreach (var (begin, end) in _ranges)
        {
            for (var v = begin; ; v++)
            {
                yield return v;
                if (v == end)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Mesos text: <c>[31000-32000,33000-33000]</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < _ranges.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(_ranges[i].Begin.ToString(CultureInfo.InvariantCulture)).Append('-').Append(_ranges[i].End.ToString(CultureInfo.InvariantCulture));
        }

        return text.Append(']').ToString();
    }

    /// <inheritdoc />
    public bool Equals(ValueRanges? other) => other is not null && _ranges.AsSpan().SequenceEqual(other._ranges);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueRanges);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var range in _ranges)
        {
            hash.Add(range);
        }

        return hash.ToHashCode();
    }

    private static (ulong Begin, ulong End)[] Normalize(List<(ulong Begin, ulong End)> ranges)
    {
        if (ranges.Count == 0)
        {
            return [];
        }

        ranges.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        var merged = new List<(ulong Begin, ulong End)>(ranges.Count) { ranges[0] };
        for (var i = 1; i < ranges.Count; i++)
        {
            var last = merged[^1];
            var (begin, end) = ranges[i];
            // Merge overlapping and adjacent ranges (last.End + 1 == begin), minding ulong overflow.
            if (last.End == ulong.MaxValue || begin <= last.End + 1)
            {
                merged[^1] = (last.Begin, Math.Max(last.End, end));
            }
            else
            {
                merged.Add((begin, end));
            }
        }

        return [.. merged];
    }
}
