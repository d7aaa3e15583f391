using Orleans;
using OrleansDcos.Grains.Interfaces.Api;

namespace OrleansDcos.Grains.Jobs;

/// <summary>
/// A job definition that is not valid (400 with a detail per bad field, as Chronos answers a bad job with 400). The
/// details travel inside the message (grain calls carry an exception's type and message only) and are read back.
/// </summary>
[GenerateSerializer]
[Alias("dcos.JobValidationException")]
public sealed class JobValidationException : Exception
{
    private const string Prefix = "Job is not valid: ";

    /// <summary>An error naming each bad field.</summary>
    public JobValidationException(IReadOnlyList<ApiErrorDetail> details)
        : base(ApiErrorDetails.ToMessage(Prefix, details)) => Details = details;

    /// <summary>Rebuilds the exception from its message (the grain-call transport's form).</summary>
    public JobValidationException(string message)
        : base(message) => Details = ApiErrorDetails.FromMessage(Prefix, message);

    /// <summary>One bad field.</summary>
    public static JobValidationException Of(string path, string error) => new([new ApiErrorDetail(path, [error])]);

    /// <summary>The bad fields.</summary>
    [Id(0)]
    public IReadOnlyList<ApiErrorDetail> Details { get; }
}
