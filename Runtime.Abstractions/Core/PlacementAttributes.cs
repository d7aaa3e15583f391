namespace OrleansDcos.Runtime;

/// <summary>How a grain class's new activations choose a silo (default: <see cref="RandomPlacementAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public abstract class PlacementAttribute : Attribute;

/// <summary>A random active silo (the default).</summary>
public sealed class RandomPlacementAttribute : PlacementAttribute;

/// <summary>The silo where the first call came from, when it is active.</summary>
public sealed class PreferLocalPlacementAttribute : PlacementAttribute;

/// <summary>A silo chosen by the grain id's hash over the active silos (stable while membership is).</summary>
public sealed class HashBasedPlacementAttribute : PlacementAttribute;

/// <summary>The less loaded of two random active silos, by activation count ("power of two choices").</summary>
public sealed class ActivationCountPlacementAttribute : PlacementAttribute;
