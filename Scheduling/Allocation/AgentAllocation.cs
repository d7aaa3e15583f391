namespace OrleansDcos.Scheduling.Allocation;

/// <summary>An agent as the allocator sees it: <c>Total = Free + Offered + Used</c>.</summary>
public sealed record AgentAllocation(
    Resources.Resources Total,
    Resources.Resources Free,
    Resources.Resources Offered,
    Resources.Resources Used,
    bool Active);
