namespace OrleansDcos.Runtime;

/// <summary>A stream: a namespace (<c>task-status</c>) and a key within it (a framework id, an app id).</summary>
public readonly record struct StreamId(string Namespace, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Key}";
}

/// <summary>
/// A position in one stream: the sequence number of an event (1, 2, 3 … per stream, in commit
/// order). Reading "after" a token yields the events with a higher sequence; <see cref="Beginning"/>
/// replays everything still retained.
/// </summary>
public readonly record struct StreamSequenceToken(long Sequence) : IComparable<StreamSequenceToken>
{
    /// <summary>Before the first event.</summary>
    public static readonly StreamSequenceToken Beginning = new(0);

    /// <inheritdoc />
    public int CompareTo(StreamSequenceToken other) => Sequence.CompareTo(other.Sequence);
}

/// <summary>One event as delivered: the stream, the item, and its position.</summary>
public sealed record StreamEvent<T>(StreamId Stream, T Item, StreamSequenceToken Token);
