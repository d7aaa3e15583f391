namespace OrleansDcos.AgentLink;

/// <summary>Facts of the agent link.</summary>
public static class AgentLinkProtocol
{
    /// <summary>The WebSocket path on every silo.</summary>
    public const string Path = "/api/v1/agent/link";

    /// <summary>Daemon → silo, first message: enroll or re-register (<see cref="AgentLinkMessage.Registration"/>).</summary>
    public const string Register = "REGISTER";

    /// <summary>Silo → daemon: the registration is accepted (<see cref="AgentLinkMessage.Registered"/>).</summary>
    public const string Registered = "REGISTERED";

    /// <summary>Daemon → silo: alive, every heartbeat interval.</summary>
    public const string Heartbeat = "HEARTBEAT";

    /// <summary>Daemon → silo: task status updates (<see cref="AgentLinkMessage.Updates"/>).</summary>
    public const string Update = "UPDATE";

    /// <summary>Silo → daemon: commands in order (<see cref="AgentLinkMessage.Commands"/>).</summary>
    public const string Commands = "COMMANDS";

    /// <summary>Daemon → silo: the answer to a READ_LOG command (<see cref="AgentLinkMessage.Chunk"/>).</summary>
    public const string LogData = "LOG_DATA";

    /// <summary>Silo → daemon, then close: the master lost this link's registration; connect and register again.</summary>
    public const string Reregister = "REREGISTER";

    /// <summary>Silo → daemon, then close: the registration or a message was refused (<see cref="AgentLinkMessage.Message"/>).</summary>
    public const string Error = "ERROR";
}
