using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>One event for a subscribed framework; <see cref="Type"/> says which fields are set.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkEvent")]
public sealed record FrameworkEvent(
    string Type,
    IReadOnlyList<OfferInfo>? Offers = null,
    string? OfferId = null,
    TaskStatusEvent? Status = null,
    string? AgentId = null,
    string? Message = null);
