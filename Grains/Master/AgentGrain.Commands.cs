using Orleans;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>The agent link's outbox: commands queued for the daemon, batched acknowledgements, and the doorbell that tells the link to fetch.</summary>
internal sealed partial class AgentGrain
{
    private void Enqueue(AgentCommand command)
    {
        _commands.Add(command);
        Signal();
    }

    /// <summary>
    /// There is something for the link: ring its doorbell — once until the link fetches (a launch of many tasks queues
    /// a command each; one ring fetches them all).
    /// </summary>
    private void Signal()
    {
        if (_doorbell is { } doorbell && !_rang)
        {
            _rang = true;
            doorbell.Ring().Ignore();
        }
    }

    private void FlushAcks()
    {
        if (_pendingAcks.Count > 0)
        {
            _commands.Add(new AgentCommand(AgentCommandTypes.Acknowledge, Acks: _pendingAcks.ToArray()));
            _pendingAcks.Clear();
        }
    }
}
