namespace OrleansDcos.Client.Cluster;

/// <summary>Settings of a <see cref="ClusterClient"/>.</summary>
public sealed record ClusterClientOptions
{
    /// <summary>The silos' HTTP addresses (their gateways), e.g. <c>http://127.0.0.1:8080/</c>. At least one.</summary>
    public required IReadOnlyList<Uri> Gateways { get; init; }

    /// <summary>How long a grain call may take before a <see cref="TimeoutException"/>. Default 30 s.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a gateway that refused a connection is avoided. Default 2 s.</summary>
    public TimeSpan GatewayRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the client rereads the cluster's gateway list (<c>/gateway/silos</c>). Default 30 s.</summary>
    public TimeSpan GatewayListRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause before a dropped stream reconnects. Default 250 ms.</summary>
    public TimeSpan StreamReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);
}
