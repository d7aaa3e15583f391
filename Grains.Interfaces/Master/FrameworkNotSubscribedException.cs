using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>A call on a framework that is not subscribed on the given stream (or at all); the API answers 403.</summary>
[GenerateSerializer]
[Alias("dcos.FrameworkNotSubscribedException")]
public sealed class FrameworkNotSubscribedException(string message) : Exception(message);
