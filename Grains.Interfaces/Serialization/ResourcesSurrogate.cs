using Orleans;

namespace OrleansDcos.Grains.Serialization;

/// <summary>
/// <see cref="Scheduling.Resources.Resources"/> on Orleans' wire: its Mesos text, read back through the parse cache
/// (tasks and offers repeat a few texts), so grain contracts carry typed resources parsed once at the edge.
/// </summary>
[GenerateSerializer]
[Alias("dcos.Resources")]
public struct ResourcesSurrogate
{
    /// <summary>The Mesos text (<c>cpus:1;mem:128</c>).</summary>
    [Id(0)]
    public string Text;
}
