using Orleans.Runtime;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Master;

namespace OrleansDcos.Grains;

/// <summary>The durable streams the control plane publishes on, by id (their names are in the contracts).</summary>
public static class DcosStreams
{
    /// <summary>Every task status change (<see cref="MasterStreams"/>).</summary>
    public static StreamId TaskStatuses { get; } = StreamId.Create(MasterStreams.TaskStatusNamespace, MasterStreams.AllTasksKey);

    /// <summary>Marathon's event bus (<see cref="MarathonEventStream"/>).</summary>
    public static StreamId MarathonEvents { get; } = StreamId.Create(MarathonEventStream.Namespace, MarathonEventStream.Key);
}
