using System.Globalization;

namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// A scalar resource amount in exact fixed point with three decimal places (as Mesos does), so
/// <c>0.1 + 0.2 == 0.3</c> holds for cpus. Stored as thousandths.
/// </summary>
public readonly record struct Scalar(long Millis) : IComparable<Scalar>
{
    /// <summary>Zero.</summary>
    public static readonly Scalar Zero = new(0);

    /// <summary>The largest amount accepted from text (about 9.2e12), far above any real machine.</summary>
    public static readonly Scalar MaxValue = new(long.MaxValue / 1000);

    /// <summary>True when the amount is zero.</summary>
    public bool IsZero => Millis == 0;

    /// <summary>From a whole number.</summary>
    public static Scalar FromInt(long value) => new(checked(value * 1000));

    /// <summary>From a double, rounded to the nearest thousandth.</summary>
    public static Scalar FromDouble(double value) => new((long)Math.Round(value * 1000, MidpointRounding.AwayFromZero));

    /// <summary>As a double (for shares and display only; arithmetic stays exact).</summary>
    public double ToDouble() => Millis / 1000.0;

    /// <summary>Parses a non-negative decimal ("8", "0.5", "16384.25"); more than three decimals are rounded.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Scalar value)
    {
        value = Zero;
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number < 0)
        {
            return false;
        }

        var millis = decimal.Round(number * 1000m, MidpointRounding.AwayFromZero);
        if (millis > MaxValue.Millis)
        {
            return false;
        }

        value = new Scalar((long)millis);
        return true;
    }

    /// <summary>Sum.</summary>
    public static Scalar operator +(Scalar a, Scalar b) => new(checked(a.Millis + b.Millis));

    /// <summary>Difference (may be negative; callers check containment first).</summary>
    public static Scalar operator -(Scalar a, Scalar b) => new(checked(a.Millis - b.Millis));

    /// <summary>Ordering.</summary>
    public static bool operator <(Scalar a, Scalar b) => a.Millis < b.Millis;

    /// <summary>Ordering.</summary>
    public static bool operator >(Scalar a, Scalar b) => a.Millis > b.Millis;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Scalar a, Scalar b) => a.Millis <= b.Millis;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Scalar a, Scalar b) => a.Millis >= b.Millis;

    /// <inheritdoc />
    public int CompareTo(Scalar other) => Millis.CompareTo(other.Millis);

    /// <summary>Invariant text without trailing zeros: <c>8</c>, <c>0.5</c>, <c>0.125</c>.</summary>
    public override string ToString() =>
        (Millis / 1000m).ToString("0.###", CultureInfo.InvariantCulture);
}
