namespace OrleansDcos.AgentLink;

/// <summary>What an agent does with its link: who it registers as, what it does once registered, and each command.</summary>
public interface IAgentLinkHandler
{
    /// <summary>The registration for a new link: the agent and the tasks it has now.</summary>
    AgentRegistration Registration();

    /// <summary>
    /// The master took the registration: runs for the life of the link (<paramref name="linkDone"/> ends it) — kill what
    /// the master does not account for, send what is unacknowledged, and return, or keep sending until the link ends.
    /// </summary>
    Task LinkedAsync(AgentRegistered registered, CancellationToken linkDone);

    /// <summary>One command from the master, in the order it was sent.</summary>
    Task CommandAsync(AgentCommand command, CancellationToken stop);
}
