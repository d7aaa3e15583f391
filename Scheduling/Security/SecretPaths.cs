namespace OrleansDcos.Scheduling.Security;

/// <summary>
/// Secret paths as the store keeps them: <c>team-a/db/password</c> — 1 to 8 segments of letters, digits, <c>. _ -</c>
/// (no <c>.</c> or <c>..</c> segment), at most 256 characters; a leading <c>/</c> (Marathon's <c>source</c>) is dropped.
/// </summary>
public static class SecretPaths
{
    /// <summary>The longest path.</summary>
    public const int MaxLength = 256;

    /// <summary>The path without a leading <c>/</c>, or null with <paramref name="problem"/> when it is not a usable path.</summary>
    public static string? Normalize(string? path, out string? problem)
    {
        var text = (path ?? string.Empty).TrimStart('/');
        var segments = text.Split('/');
        problem = text.Length is 0 or > MaxLength || segments.Length > 8
                || segments.Any(s => s.Length == 0 || s is "." or ".." || !s.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            ? $"'{IdentityRules.Printable(path)}' is not a secret path: 1 to 8 segments of letters, digits, '.', '_' or '-' separated by '/', at most {MaxLength} characters"
            : null;
        return problem is null ? text : null;
    }

    /// <summary>The resource of a secret (<c>secrets:secret:team-a/db/password</c>).</summary>
    public static string Resource(string path) => "secrets:secret:" + path;
}
