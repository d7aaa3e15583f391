namespace OrleansDcos.Grains.Master;

/// <summary>Stored ids with a removed flag; written on each change (ids are added once per agent or framework).</summary>
public sealed class RegistryState
{
    /// <summary>Id → removed.</summary>
    public Dictionary<string, bool> Ids { get; set; } = new(StringComparer.Ordinal);
}
