namespace OrleansDcos.Silo.Marathon;

/// <summary>A request body over the configured limit (413).</summary>
public sealed class PayloadTooLargeException(long limit) : Exception($"the request body is larger than {limit} bytes (Marathon:MaxRequestBytes)");
