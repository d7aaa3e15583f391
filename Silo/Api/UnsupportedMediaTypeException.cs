namespace OrleansDcos.Silo.Api;

/// <summary>A request body that is not JSON (415).</summary>
public sealed class UnsupportedMediaTypeException(string? contentType)
    : Exception(contentType is { Length: > 0 }
        ? $"the body is {(contentType.Length > 100 ? contentType[..100] + "…" : contentType)}; send it as application/json"
        : "the body has no Content-Type; send it as application/json");
