using Orleans;
using Orleans.Concurrency;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// A link's doorbell (a grain observer in the silo that holds the link): the agent grain rings it when it has
/// commands or acknowledgements for the link, and the link then fetches them with a <see cref="IAgentGrain.PollCommands"/>
/// that does not wait. No call is held open per agent (a waiting call costs each agent about 2 KB in Orleans); a ring
/// that is lost delays commands until the link's next look, never for good.
/// </summary>
[Alias("dcos.IAgentCommandDoorbell")]
public interface IAgentCommandDoorbell : IGrainObserver
{
    /// <summary>There is something to fetch.</summary>
    [OneWay]
    Task Ring();
}
