namespace OrleansDcos.Runtime;

/// <summary>Flows the current request's call chain through awaits, so calls made from a grain carry it.</summary>
public static class RuntimeContext
{
    private static readonly AsyncLocal<CallChain?> Chain = new();

    /// <summary>The chain of the request running on this flow (null outside grains).</summary>
    public static CallChain? CurrentChain
    {
        get => Chain.Value;
        internal set => Chain.Value = value;
    }
}
