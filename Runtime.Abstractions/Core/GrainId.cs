namespace OrleansDcos.Runtime;

/// <summary>
/// The identity of a grain: its grain type (from the implementation class, see
/// <see cref="GrainTypeAttribute"/>) and its key. Text form <c>type/key</c>; Guid keys are kept
/// as 32 lowercase hex digits.
/// </summary>
public readonly record struct GrainId(string Type, string Key)
{
    /// <summary>The key of a Guid-keyed grain.</summary>
    public static string KeyOf(Guid key) => key.ToString("N");

    /// <summary>Parses <c>type/key</c> (the key may itself contain slashes).</summary>
    public static GrainId Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0)
        {
            throw new FormatException($"'{text}' is not a grain id of the form type/key");
        }

        return new GrainId(text[..slash], text[(slash + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Type}/{Key}";
}
