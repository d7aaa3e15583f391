namespace OrleansDcos.AgentLink;

/// <summary>How an <see cref="AgentLinkClient"/> reaches the master.</summary>
public sealed class AgentLinkClientOptions
{
    /// <summary>The silos' HTTP addresses; a lost link is made again to the next one.</summary>
    public required IReadOnlyList<Uri> Gateways { get; init; }

    /// <summary>The enrollment token (<c>Authorization: Bearer …</c>), or null (loopback daemons only).</summary>
    public string? Token { get; init; }

    /// <summary>
    /// The cluster CA (<c>wss://</c> gateways): the silo's certificate must chain to it, and only to it, and name the
    /// address dialled. Null: the system's trust store decides.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? TrustedCa { get; init; }

    /// <summary>Asked at every connection for the token to present (the agent's credential once it has one); <see cref="Token"/> when null.</summary>
    public Func<string?>? TokenSource { get; init; }

    /// <summary>How long connecting and registering may take before the next gateway is tried. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The pause after the first failure; it doubles up to <see cref="RetryMax"/>, each with ±50 % jitter. Default 100 ms.</summary>
    public TimeSpan RetryFirst { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between attempts. Default 5 s.</summary>
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock heartbeats and retry pauses wait on. Default the system's.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Spreads retry pauses (so a restarted master is not hit by every agent at once). Default shared; seed it to replay.</summary>
    public Random Jitter { get; init; } = Random.Shared;

    /// <summary>
    /// Fault injection for the simulated agents of the tests only (internal): while it answers true the client neither
    /// heartbeats nor connects, as a hung daemon whose socket stays open.
    /// </summary>
    internal Func<bool>? Hung { get; init; }
}
