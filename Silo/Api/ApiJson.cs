using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Silo.Api;

/// <summary>Reading a JSON request body within a size limit: 415 when it is not JSON, 413 past the limit, 400 when it does not parse.</summary>
public static class ApiJson
{
    /// <summary>A key given twice is refused at parse (400), not met later by a reader as a broken object.</summary>
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>
    /// The body as JSON, at most <paramref name="maxBytes"/> (the setting <paramref name="setting"/>) and 64 levels deep;
    /// <paramref name="anyContentType"/> takes it whatever type it is sent as.
    /// </summary>
    /// <exception cref="UnsupportedMediaTypeException">It is not sent as JSON.</exception>
    /// <exception cref="PayloadTooLargeException">It is larger than the limit.</exception>
    /// <exception cref="BadRequestException">It is not valid JSON.</exception>
    public static async Task<JsonNode> ReadAsync(HttpContext context, long maxBytes, string setting, bool anyContentType = false)
    {
        var bytes = await ReadBytesAsync(context, maxBytes, setting, anyContentType);
        return Parse(() => JsonNode.Parse(bytes, documentOptions: Options));
    }

    /// <summary>
    /// As <see cref="ReadAsync"/>, as a document (for readers of <see cref="JsonElement"/>s, parsed once); the caller
    /// disposes it. <paramref name="anyContentType"/> serves Mesos' <c>/quota</c>, which <c>curl -d</c> sends as a form.
    /// </summary>
    public static async Task<JsonDocument> ReadDocumentAsync(HttpContext context, long maxBytes, string setting, bool anyContentType = false)
    {
        var bytes = await ReadBytesAsync(context, maxBytes, setting, anyContentType);
        var document = Parse(() => JsonDocument.Parse(bytes, Options));
        if (document.RootElement.ValueKind == JsonValueKind.Null)
        {
            document.Dispose();
            throw new BadRequestException("Invalid JSON: the body is null");
        }

        return document;
    }

    private static async Task<byte[]> ReadBytesAsync(HttpContext context, long maxBytes, string setting, bool anyContentType)
    {
        if (!anyContentType && !IsJson(context.Request.ContentType))
        {
            throw new UnsupportedMediaTypeException(context.Request.ContentType);
        }

        if (context.Request.ContentLength > maxBytes)
        {
            throw new PayloadTooLargeException(maxBytes, setting);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new PayloadTooLargeException(maxBytes, setting);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static T Parse<T>(Func<T?> parse)
        where T : class
    {
        try
        {
            return parse() ?? throw new BadRequestException("Invalid JSON: the body is null");
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"Invalid JSON: {ex.Message}");
        }
    }

    /// <summary>True for <c>application/json</c> and <c>application/*+json</c> (any charset).</summary>
    internal static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));
}
