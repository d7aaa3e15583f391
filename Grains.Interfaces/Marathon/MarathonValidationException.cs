using Orleans;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// A definition or change that is not valid (422 with a detail per bad field). The details travel inside the
/// message (grain calls carry an exception's type and message only) and are read back on the other side.
/// </summary>
[GenerateSerializer]
[Alias("dcos.MarathonValidationException")]
public sealed class MarathonValidationException : Exception
{
    private const string Prefix = "Object is not valid: ";

    /// <summary>An error naming each bad field.</summary>
    public MarathonValidationException(IReadOnlyList<ApiErrorDetail> details)
        : base(ApiErrorDetails.ToMessage(Prefix, details)) => Details = details;

    /// <summary>Rebuilds the exception from its message (the grain-call transport's form).</summary>
    public MarathonValidationException(string message)
        : base(message) => Details = ApiErrorDetails.FromMessage(Prefix, message);

    /// <summary>One bad field.</summary>
    public static MarathonValidationException Of(string path, string error) => new([new ApiErrorDetail(path, [error])]);

    /// <summary>The bad fields.</summary>
    [Id(0)]
    public IReadOnlyList<ApiErrorDetail> Details { get; }
}
