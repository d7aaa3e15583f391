namespace OrleansDcos.Providers.Streams;

/// <summary>One event as the <see cref="EventLog"/> keeps it: its position in its queue, its stream, the serialized batch and when it was appended.</summary>
public sealed record LoggedEvent(long Position, string StreamNamespace, string StreamKey, byte[] Payload, DateTimeOffset AppendedAt);
