namespace OrleansDcos.Scheduling.Allocation;

/// <summary>A framework inside one of its roles: what it holds there (offered + used) and its DRF share.</summary>
internal sealed class ClientState(FrameworkState framework, RoleState role)
{
    public FrameworkState Framework { get; } = framework;

    public RoleState Role { get; } = role;

    public long[] Allocated { get; } = new long[ScalarVector.Length];

    public double Share { get; set; }

    public bool Suppressed { get; set; }
}
