namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>Names the stream tests share.</summary>
public static class StreamNames
{
    /// <summary>The provider.</summary>
    public const string Provider = "events";

    /// <summary>The namespace consumed implicitly by <see cref="TickRecorderGrain"/>.</summary>
    public const string Recorded = "recorded";
}
