namespace OrleansDcos.Grains.Master;

/// <summary>The types of <see cref="OfferOperation"/> the master runs (Mesos' <c>Offer.Operation.Type</c>).</summary>
public static class OfferOperationTypes
{
    /// <summary>Independent tasks.</summary>
    public const string Launch = "LAUNCH";

    /// <summary>A task group: all of its tasks launch, or none.</summary>
    public const string LaunchGroup = "LAUNCH_GROUP";
}
