namespace OrleansDcos.Grains.Master;

/// <summary>The types of <see cref="OfferOperation"/> the master runs (Mesos' <c>Offer.Operation.Type</c>).</summary>
public static class OfferOperationTypes
{
    /// <summary>Independent tasks.</summary>
    public const string Launch = "LAUNCH";

    /// <summary>A task group: all of its tasks launch, or none.</summary>
    public const string LaunchGroup = "LAUNCH_GROUP";

    /// <summary>Reserve unreserved resources for the offer's role.</summary>
    public const string Reserve = Scheduling.Resources.ResourceOperation.Reserve;

    /// <summary>Give dynamically reserved resources back.</summary>
    public const string Unreserve = Scheduling.Resources.ResourceOperation.Unreserve;

    /// <summary>Make persistent volumes of reserved disk.</summary>
    public const string Create = Scheduling.Resources.ResourceOperation.Create;

    /// <summary>Delete persistent volumes.</summary>
    public const string Destroy = Scheduling.Resources.ResourceOperation.Destroy;
}
