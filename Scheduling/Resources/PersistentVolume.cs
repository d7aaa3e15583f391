namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// A persistent volume on reserved disk (Mesos' <c>DiskInfo</c> with <c>persistence</c> and <c>volume</c>): created by
/// CREATE, kept by the agent outside any sandbox until DESTROY, and mounted at <see cref="ContainerPath"/> (relative to
/// the sandbox) into the tasks that are launched with it.
/// </summary>
/// <param name="Id">The persistence id, unique on its agent for its role.</param>
/// <param name="ContainerPath">Where tasks see it: a relative path inside the sandbox.</param>
/// <param name="ReadOnly">Mounted read-only (mode RO) instead of read-write (RW).</param>
/// <param name="Principal">Who created it (empty when none was given).</param>
public sealed record PersistentVolume(string Id, string ContainerPath, bool ReadOnly = false, string Principal = "")
{
    /// <summary>The longest persistence id.</summary>
    public const int MaxIdLength = 200;

    /// <summary>The longest container path.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Why <see cref="Id"/> and <see cref="ContainerPath"/> are not usable, or null: an id is letters, digits,
    /// <c>-_.#</c> (it names a directory; Marathon's ids are <c>app#path#uuid</c>); the path is relative, without <c>..</c>.</summary>
    public string? Problem()
    {
        if (Id.Length is 0 or > MaxIdLength || Id is "." or ".." || !Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '#'))
        {
            return $"persistence id '{Id}' must be 1 to {MaxIdLength} letters, digits, '-', '_', '.' or '#'";
        }

        if (ContainerPath.Length is 0 or > MaxPathLength || ContainerPath.StartsWith('/') || ContainerPath.Contains('\0')
            || ContainerPath.Split('/').Any(part => part is ".." or "."))
        {
            return $"container path '{ContainerPath}' of volume '{Id}' must be a relative path inside the sandbox (no '..', at most {MaxPathLength} characters)";
        }

        return null;
    }
}
