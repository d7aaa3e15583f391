using Orleans;
using OrleansDcos.AgentLink;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// An offer as a framework sees it: resources of one agent, for one of its roles, with the agent's
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
    Resources Resources,
    string Attributes,
    string? Address = null,
    int Port = AgentInfo.DefaultPort,
    string? Region = null,
    string? Zone = null,
    bool AgentHasGpus = false);
