using Orleans;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Grains.Serialization;

/// <summary>Converts <see cref="Resources"/> to and from <see cref="ResourcesSurrogate"/> for Orleans' serializer.</summary>
[RegisterConverter]
public sealed class ResourcesSurrogateConverter : IConverter<Resources, ResourcesSurrogate>
{
    /// <inheritdoc />
    public Resources ConvertFromSurrogate(in ResourcesSurrogate surrogate) => Resources.Parse(surrogate.Text ?? "");

    /// <inheritdoc />
    public ResourcesSurrogate ConvertToSurrogate(in Resources value) => new() { Text = value.ToString() };
}
