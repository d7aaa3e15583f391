namespace OrleansDcos.Silo.Master;

/// <summary>A singleton grain every silo keeps active (see <see cref="SingletonKeepAlive"/>).</summary>
/// <param name="Name">For the log.</param>
/// <param name="Ping">Calls the grain.</param>
public sealed record KeepAliveTarget(string Name, Func<IGrainFactory, Task> Ping);
