namespace OrleansDcos.Scheduling.Resources;

/// <summary>A RESERVE, UNRESERVE, CREATE or DESTROY that cannot be applied; the message says why.</summary>
public sealed class ResourceOperationException(string message) : InvalidOperationException(message);
