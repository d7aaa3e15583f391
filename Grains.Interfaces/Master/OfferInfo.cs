using Orleans;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// An offer as a framework sees it: resources (Mesos syntax) of one agent, for one of its roles, with the agent's
/// address (Mesos' <c>Offer.url</c>) and fault domain when it has one.
/// </summary>
[GenerateSerializer]
[Alias("dcos.OfferInfo")]
public sealed record OfferInfo(
    string OfferId,
    string FrameworkId,
    string AgentId,
    string Hostname,
    string Role,
    string Resources,
    string Attributes,
    string? Address = null,
    int Port = AgentInfo.DefaultPort,
    string? Region = null,
    string? Zone = null);
