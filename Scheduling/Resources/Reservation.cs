namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// A dynamic reservation (Mesos' <c>ReservationInfo</c> of type <c>DYNAMIC</c>): made by a framework's RESERVE or an
/// operator's <c>/master/reserve</c>, by <see cref="Principal"/>, tagged with <see cref="Labels"/> (Marathon marks the
/// instance a reservation belongs to there). Two reservations are the same when principal and labels are.
/// </summary>
public sealed record Reservation
{
    /// <summary>Most labels on one reservation.</summary>
    public const int MaxLabels = 32;

    /// <summary>Creates a reservation; labels are kept sorted by key.</summary>
    /// <exception cref="ArgumentException">More than <see cref="MaxLabels"/> labels, or an empty key.</exception>
    public Reservation(string principal, IEnumerable<KeyValuePair<string, string>>? labels = null)
    {
        Principal = principal ?? "";
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? [])
        {
            if (string.IsNullOrEmpty(key))
            {
                throw new ArgumentException("a reservation label needs a key", nameof(labels));
            }

            sorted[key] = value ?? "";
        }

        if (sorted.Count > MaxLabels)
        {
            throw new ArgumentException($"a reservation has at most {MaxLabels} labels (has {sorted.Count})", nameof(labels));
        }

        Labels = sorted.ToArray();
    }

    /// <summary>Who reserved (a framework's or an operator's principal; empty when none was given).</summary>
    public string Principal { get; }

    /// <summary>The labels, sorted by key.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    /// <summary>The value of label <paramref name="key"/>, or null.</summary>
    public string? Label(string key) => Labels.FirstOrDefault(l => l.Key == key) is { Key: not null } found ? found.Value : null;

    /// <inheritdoc />
    public bool Equals(Reservation? other) =>
        other is not null && Principal == other.Principal && Labels.SequenceEqual(other.Labels);

    /// <inheritdoc />
    public override int GetHashCode() => Labels.Aggregate(Principal.GetHashCode(StringComparison.Ordinal), (h, l) => HashCode.Combine(h, l.Key, l.Value));
}
