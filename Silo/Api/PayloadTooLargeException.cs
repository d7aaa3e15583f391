namespace OrleansDcos.Silo.Api;

/// <summary>A request body over the configured limit <paramref name="setting"/> (413).</summary>
public sealed class PayloadTooLargeException(long limit, string setting) : Exception($"the request body is larger than {limit} bytes ({setting})");
