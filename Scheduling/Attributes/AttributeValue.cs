using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Scheduling.Attributes;

/// <summary>
/// One attribute value. <see cref="Text"/> is its canonical text, which is what constraints
/// (<c>LIKE</c>, <c>CLUSTER</c>, <c>GROUP_BY</c>, …) compare, as Marathon does.
/// </summary>
public sealed record AttributeValue(AttributeKind Kind, string Text)
{
    /// <summary>The number, for scalar attributes.</summary>
    public Scalar? Scalar { get; private init; }

    /// <summary>A text value.</summary>
    public static AttributeValue OfText(string text) => new(AttributeKind.Text, text);

    /// <summary>A scalar value.</summary>
    public static AttributeValue OfScalar(Scalar value) => new(AttributeKind.Scalar, value.ToString()) { Scalar = value };

    /// <summary>A ranges value.</summary>
    public static AttributeValue OfRanges(ValueRanges ranges) => new(AttributeKind.Ranges, ranges.ToString());

    /// <summary>A set value.</summary>
    public static AttributeValue OfSet(ValueSet set) => new(AttributeKind.Set, set.ToString());

    /// <inheritdoc />
    public override string ToString() => Text;
}
