namespace OrleansDcos.AgentLink;

/// <summary>What the first bytes of a connection say about it.</summary>
public enum HandshakeVerdict
{
    /// <summary>Could still be an agent link upgrade: read more.</summary>
    NeedMore,

    /// <summary>Anything else: the HTTP server has it, bytes untouched.</summary>
    NotALink,

    /// <summary>A complete, well-formed WebSocket upgrade to <see cref="AgentLinkProtocol.Path"/>.</summary>
    Link,
}
