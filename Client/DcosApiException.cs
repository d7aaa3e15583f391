using System.Net;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Client;

/// <summary>The silo answered with an error; <see cref="Error"/> is its <c>{message, details}</c> body.</summary>
public sealed class DcosApiException(HttpStatusCode status, ApiError error)
    : Exception($"{(int)status} {error.Message}")
{
    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The error body.</summary>
    public ApiError Error { get; } = error;
}
