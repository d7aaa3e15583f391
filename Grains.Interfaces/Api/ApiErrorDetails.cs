using System.Text.Json;

namespace OrleansDcos.Grains.Interfaces.Api;

/// <summary>
/// Field errors carried inside an exception's message, since grain calls carry an exception's type and message only:
/// written after a prefix, read back on the other side.
/// </summary>
public static class ApiErrorDetails
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Adds <paramref name="error"/> to the details of <paramref name="path"/> (one detail per path, its errors in order).</summary>
    public static void Add(List<ApiErrorDetail> details, string path, string error)
    {
        var index = details.FindIndex(e => e.Path == path);
        if (index < 0)
        {
            details.Add(new ApiErrorDetail(path, [error]));
        }
        else
        {
            details[index] = details[index] with { Errors = [.. details[index].Errors, error] };
        }
    }

    /// <summary><paramref name="prefix"/> and the details as JSON.</summary>
    public static string ToMessage(string prefix, IReadOnlyList<ApiErrorDetail> details) => prefix + JsonSerializer.Serialize(details, Readable);

    /// <summary>The details of a message <see cref="ToMessage"/> wrote; any other message is one error of the whole document.</summary>
    public static IReadOnlyList<ApiErrorDetail> FromMessage(string prefix, string message) => message.StartsWith(prefix, StringComparison.Ordinal)
        ? JsonSerializer.Deserialize<List<ApiErrorDetail>>(message[prefix.Length..]) ?? []
        : [new ApiErrorDetail("/", [message])];
}
