using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>An app's entry in <c>/v2/queue</c>.</summary>
[GenerateSerializer]
[Alias("dcos.QueueInfo")]
public sealed record QueueInfo(
    string AppId,
    int Count,
    DateTimeOffset? DelayUntil,
    DateTimeOffset Since,
    int ProcessedOffers,
    int UnusedOffers,
    IReadOnlyDictionary<string, int> RejectSummary,
    string? LastReason,
    int LastOffers = 0,
    IReadOnlyDictionary<string, int>? AttemptRejectSummary = null,
    int AttemptOffers = 0);
