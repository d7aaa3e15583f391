namespace OrleansDcos.Runtime;

/// <summary>The grains a request passed through, newest first (immutable linked list).</summary>
public sealed class CallChain(GrainId grain, CallChain? next)
{
    /// <summary>The grain that made the call.</summary>
    public GrainId Grain { get; } = grain;

    /// <summary>The rest of the chain.</summary>
    public CallChain? Next { get; } = next;

    /// <summary>True when <paramref name="grain"/> is anywhere on the chain.</summary>
    public bool Contains(GrainId grain)
    {
        for (var node = this; node is not null; node = node.Next)
        {
            if (node.Grain == grain)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The chain as text, oldest first: <c>a/1 → b/2</c>.</summary>
    public override string ToString()
    {
        var grains = new List<string>();
        for (var node = this; node is not null; node = node.Next)
        {
            grains.Add(node.Grain.ToString());
        }

        grains.Reverse();
        return string.Join(" → ", grains);
    }
}
