using Orleans;

namespace OrleansDcos.Grains.Master;

/// <summary>An operator or framework call the master refuses; the API answers 400 with the message.</summary>
[GenerateSerializer]
[Alias("dcos.MasterValidationException")]
public sealed class MasterValidationException(string message) : Exception(message);
