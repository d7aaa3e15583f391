using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansDcos.Runtime.Gateway;

/// <summary>A grain call sent to a silo's gateway (<c>POST /gateway/call</c>).</summary>
public sealed record GatewayCall(
    [property: JsonPropertyName("interface")] string Interface,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("args")] IReadOnlyList<JsonElement> Arguments);

/// <summary>The answer: a result, or the exception the grain (or the runtime) raised.</summary>
public sealed record GatewayReply(
    [property: JsonPropertyName("result")] JsonElement? Result,
    [property: JsonPropertyName("error")] GatewayError? Error);

/// <summary>An exception by type name and message.</summary>
public sealed record GatewayError(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("message")] string Message);

/// <summary>One line of a followed stream (<c>GET /gateway/streams/{provider}/{ns}/{key}?after=N</c>, NDJSON).</summary>
public sealed record GatewayStreamEvent(
    [property: JsonPropertyName("seq")] long Sequence,
    [property: JsonPropertyName("item")] JsonElement Item);

/// <summary>Paths of the gateway.</summary>
public static class GatewayPaths
{
    /// <summary>Grain calls.</summary>
    public const string Call = "gateway/call";

    /// <summary>The active silos' gateways (JSON array of URLs).</summary>
    public const string Silos = "gateway/silos";

    /// <summary>The response header telling the position a followed stream starts after.</summary>
    public const string PositionHeader = "X-Stream-Position";

    /// <summary>A stream: <c>gateway/streams/{provider}/{namespace}/{key}</c>.</summary>
    public static string Stream(string provider, StreamId stream) =>
        $"gateway/streams/{Uri.EscapeDataString(provider)}/{Uri.EscapeDataString(stream.Namespace)}/{Uri.EscapeDataString(stream.Key)}";
}

/// <summary>Turns exceptions into <see cref="GatewayError"/> and back, keeping the type when the receiving side knows it.</summary>
public static class GatewayExceptions
{
    /// <summary>The error for <paramref name="exception"/>.</summary>
    public static GatewayError ToError(Exception exception) => new(exception.GetType().FullName ?? exception.GetType().Name, exception.Message);

    /// <summary>An exception of the same type (when it is known here and takes a message), else a <see cref="GrainCallException"/>.</summary>
    public static Exception FromError(GatewayError error)
    {
        var type = AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType(error.Type, throwOnError: false))
            .FirstOrDefault(t => t is not null && typeof(Exception).IsAssignableFrom(t));
        if (type?.GetConstructor([typeof(string)]) is { } constructor)
        {
            return (Exception)constructor.Invoke([error.Message]);
        }

        return new GrainCallException(error.Type, error.Message);
    }
}
