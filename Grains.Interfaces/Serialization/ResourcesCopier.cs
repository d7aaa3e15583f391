using Orleans;
using Orleans.Serialization.Cloning;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Serialization;

/// <summary><see cref="Resources"/> are immutable: calls between grains of one silo pass the same instance.</summary>
[RegisterCopier]
public sealed class ResourcesCopier : ShallowCopier<Resources>;
