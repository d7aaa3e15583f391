namespace OrleansDcos.Scheduling.Packages;

/// <summary>What a package may be called: lower-case letters, digits and dashes, starting with a letter or digit.</summary>
public static class PackageNames
{
    /// <summary>The longest package name.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="name"/> is a usable package name.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
