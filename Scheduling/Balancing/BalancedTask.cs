using OrleansDcos.Mesos;

namespace OrleansDcos.Scheduling.Balancing;

/// <summary>A task of a balanced app.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Address">The address servers are reached at (the agent's IP, else its host name).</param>
/// <param name="Ports">Its host ports, by service-port index.</param>
/// <param name="State">Its last state.</param>
/// <param name="Killing">Its framework has asked for it to be killed (it drains: no new requests).</param>
/// <param name="Healthy">Its health as the agent last reported (null: no result yet).</param>
public sealed record BalancedTask(string TaskId, string Address, IReadOnlyList<int> Ports, TaskState State, bool Killing, bool? Healthy);
