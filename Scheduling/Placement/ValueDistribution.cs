namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// How many tasks of one group sit on each value of one field, with the minimum count over all
/// known values kept current in O(1) per change (for GROUP_BY).
/// </summary>
internal sealed class ValueDistribution
{
    private int[] _counts = [];
    private readonly List<int> _valuesWithCount = [0]; // [c] = known values whose count is c
    private int _known;

    /// <summary>Tasks counted.</summary>
    public int Total { get; private set; }

    /// <summary>The smallest count over all known values (0 when none is known).</summary>
    public int MinCount { get; private set; }

    /// <summary>Known values.</summary>
    public int Known => _known;

    public int CountOf(int id) => id < _known ? _counts[id] : 0;

    /// <summary>Makes values 0..<paramref name="valueCount"/>−1 known, each new one at count 0.</summary>
    public void EnsureKnown(int valueCount)
    {
        if (valueCount <= _known)
        {
            return;
        }

        if (valueCount > _counts.Length)
        {
            Array.Resize(ref _counts, Math.Max(valueCount, _counts.Length * 2));
        }

        _valuesWithCount[0] += valueCount - _known;
        _known = valueCount;
        MinCount = 0;
    }

    public void Increment(int id)
    {
        EnsureKnown(id + 1);
        var c = _counts[id]++;
        _valuesWithCount[c]--;
        if (c + 1 == _valuesWithCount.Count)
        {
            _valuesWithCount.Add(0);
        }

        _valuesWithCount[c + 1]++;
        if (c == MinCount && _valuesWithCount[c] == 0)
        {
            MinCount = c + 1;
        }

        Total++;
    }

    public void Decrement(int id)
    {
        if (id >= _known || _counts[id] == 0)
        {
            return;
        }

        var c = _counts[id]--;
        _valuesWithCount[c]--;
        _valuesWithCount[c - 1]++;
        if (c - 1 < MinCount)
        {
            MinCount = c - 1;
        }

        Total--;
    }
}
