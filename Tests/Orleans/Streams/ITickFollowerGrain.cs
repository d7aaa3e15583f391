namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>Subscribes explicitly to a stream from a given position and records what it gets.</summary>
public interface ITickFollowerGrain : IGrainWithStringKey
{
    /// <summary>Follows stream (ns, key) from after <paramref name="position"/> (0: from now on).</summary>
    Task Follow(string ns, string key, long position);
}
