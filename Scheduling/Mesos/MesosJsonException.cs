namespace OrleansDcos.Mesos;

/// <summary>A Mesos JSON value that is not what Mesos' schema says; the message names where (<c>task_infos[0].resources[2].scalar.value</c>).</summary>
public sealed class MesosJsonException(string message) : Exception(message);
