namespace OrleansDcos.AgentLink;

/// <summary>A WebSocket upgrade request for the agent link, as far as the link needs it.</summary>
/// <param name="Key">Sec-WebSocket-Key.</param>
/// <param name="Authorization">The Authorization header, or null.</param>
/// <param name="HeadLength">Bytes of the request head, up to and with the blank line.</param>
public sealed record AgentLinkUpgrade(string Key, string? Authorization, int HeadLength);
