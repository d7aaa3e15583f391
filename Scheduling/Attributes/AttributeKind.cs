namespace OrleansDcos.Scheduling.Attributes;

/// <summary>The kind of an agent attribute's value (Mesos: TEXT, SCALAR, RANGES, SET).</summary>
public enum AttributeKind
{
    /// <summary>Free text: <c>rack:r1</c>.</summary>
    Text,

    /// <summary>A number: <c>level:10</c>.</summary>
    Scalar,

    /// <summary>Integer ranges: <c>slots:[1-4]</c>.</summary>
    Ranges,

    /// <summary>A set: <c>tags:{ssd,fast}</c>.</summary>
    Set,
}
