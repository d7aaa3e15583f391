using System.Globalization;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>How many agents were rejected for each reason: <c>insufficient mem: 4,812 agents; constraint UNIQUE hostname: 12 agents</c>.</summary>
public sealed class RejectSummary
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>No rejections.</summary>
    public static RejectSummary None { get; } = new();

    /// <summary>Agent counts by reason.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>Total agents rejected.</summary>
    public int Total => _counts.Values.Sum();

    internal void Add(string reason) => _counts[reason] = _counts.GetValueOrDefault(reason) + 1;

    /// <summary>Most frequent first, e.g. <c>insufficient mem: 4,812 agents; constraint UNIQUE hostname: 12 agents</c>.</summary>
    public override string ToString() => string.Join("; ", _counts
        .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}: {kv.Value:N0} agent{(kv.Value == 1 ? string.Empty : "s")}")));
}
