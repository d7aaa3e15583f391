namespace OrleansDcos.Scheduling.Resources;

/// <summary>Malformed resource or attribute text; <see cref="Fragment"/> is the offending piece.</summary>
public sealed class ResourceParseException(string fragment, string reason)
    : FormatException($"invalid '{fragment}': {reason}")
{
    /// <summary>The piece of text that could not be read.</summary>
    public string Fragment { get; } = fragment;
}
