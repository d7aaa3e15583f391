using Microsoft.Net.Http.Headers;
using OrleansDcos.Mesos.Protobuf;

namespace OrleansDcos.Silo.Master;

/// <summary>
/// The media types of the v1 scheduler API, negotiated as Mesos does: a call is JSON or protobuf by its
/// <c>Content-Type</c> (absent counts as JSON here; anything else is 415), and a stream answers JSON when
/// <c>Accept</c> allows it (absent allows everything), else protobuf when it allows that, else 406.
/// </summary>
public static class SchedulerMedia
{
    /// <summary>JSON.</summary>
    public const string Json = "application/json";

    /// <summary>Whether the call's body is protobuf; null when its content type is neither JSON nor protobuf.</summary>
    public static bool? BodyIsProtobuf(HttpRequest request)
    {
        if (string.IsNullOrEmpty(request.ContentType))
        {
            return false;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return null;
        }

        return type.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase) ? false
            : type.MediaType.Equals(MesosProtobuf.MediaType, StringComparison.OrdinalIgnoreCase) ? true
            : null;
    }

    /// <summary>The media type to answer in: JSON, protobuf, or null when <c>Accept</c> allows neither.</summary>
    public static string? Answer(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        return Accepts(accept, Json) ? Json : Accepts(accept, MesosProtobuf.MediaType) ? MesosProtobuf.MediaType : null;
    }

    private static bool Accepts(IList<MediaTypeHeaderValue> accept, string mediaType) =>
        accept.Count == 0 || accept.Any(a => (a.Quality ?? 1) > 0 && new MediaTypeHeaderValue(mediaType).IsSubsetOf(a));
}
