using Orleans;

namespace OrleansDcos.Grains.Marathon;

/// <summary>Where a live instance runs.</summary>
[GenerateSerializer]
[Alias("dcos.InstancePlacement")]
public sealed record InstancePlacement(string TaskId, string AgentId, string Host, string Attributes)
{
    /// <summary>Where <paramref name="instance"/> runs.</summary>
    public static InstancePlacement Of(InstanceRecord instance) => new(instance.TaskId, instance.AgentId, instance.Host, instance.Attributes);
}
