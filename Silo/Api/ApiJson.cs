using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Silo.Api;

/// <summary>Reading a JSON request body within a size limit: 415 when it is not JSON, 413 past the limit, 400 when it does not parse.</summary>
public static class ApiJson
{
    /// <summary>
    /// The body as JSON, at most <paramref name="maxBytes"/> (the setting <paramref name="setting"/>) and 64 levels deep;
    /// <paramref name="anyContentType"/> takes it whatever type it is sent as (Mesos' <c>/quota</c>, which
    /// <c>curl -d</c> sends as a form).
    /// </summary>
    /// <exception cref="UnsupportedMediaTypeException">It is not sent as JSON.</exception>
    /// <exception cref="PayloadTooLargeException">It is larger than the limit.</exception>
    /// <exception cref="BadRequestException">It is not valid JSON.</exception>
    public static async Task<JsonNode> ReadAsync(HttpContext context, long maxBytes, string setting, bool anyContentType = false)
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

        try
        {
            // A key given twice is refused here (400), not met later by a reader as a broken object.
            return JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false })
                ?? throw new BadRequestException("Invalid JSON: the body is null");
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
