namespace OrleansDcos.Grains.Master;

/// <summary>The durable stream provider the master publishes task status events on (every silo has it).</summary>
public static class MasterStreamProvider
{
    /// <summary>Its name.</summary>
    public const string Name = "default";
}
