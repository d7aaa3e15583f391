namespace OrleansDcos.Runtime.Storage;

/// <summary>The one wording of a version conflict, shared by every provider.</summary>
internal static class StorageConflicts
{
    public static InconsistentStateException Write(string stateName, GrainId grainId, string? expected, string? actual) =>
        new($"state '{stateName}' of {grainId}: stored version is {actual ?? "none"}, this activation has {expected ?? "none"}; the write was refused");
}
