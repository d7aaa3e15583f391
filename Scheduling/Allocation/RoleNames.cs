namespace OrleansDcos.Scheduling.Allocation;

/// <summary>What a role may be called (Mesos' rules, without hierarchical roles): not empty, not <c>.</c> or
/// <c>..</c>, not starting with <c>-</c>, no whitespace, slash or backslash, at most <see cref="MaxLength"/> characters; and
/// none of the characters of the resource syntax (<c>( ) [ ] , : ;</c>), so that <c>cpus(role):1</c> reads back.</summary>
public static class RoleNames
{
    /// <summary>The longest role name.</summary>
    public const int MaxLength = 255;

    /// <summary>Most roles the allocator keeps a weight or a quota for; beyond it an update is refused.</summary>
    public const int MaxConfigured = 1000;

    /// <summary>Whether <paramref name="role"/> is a usable role name (<c>*</c>, the default role, is).</summary>
    public static bool IsValid(string? role) =>
        role is { Length: > 0 and <= MaxLength } && role is not ("." or "..") && !role.StartsWith('-')
        && !role.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '\\' or '(' or ')' or '[' or ']' or ',' or ':' or ';');
}
