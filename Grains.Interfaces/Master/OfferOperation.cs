using Orleans;
using OrleansDcos.AgentLink;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// One operation of an ACCEPT: <c>LAUNCH</c> (independent tasks) or <c>LAUNCH_GROUP</c> (a task group, all or none) of
/// <see cref="Tasks"/>; or <c>RESERVE</c>, <c>UNRESERVE</c>, <c>CREATE</c>, <c>DESTROY</c> of <see cref="Resources"/>
/// (see <see cref="Scheduling.Resources.ResourceOperation"/>), which the launches after it in the same ACCEPT may use.
/// </summary>
[GenerateSerializer]
[Alias("dcos.OfferOperation")]
public sealed record OfferOperation(string Type, IReadOnlyList<TaskSpec> Tasks, Scheduling.Resources.Resources? Resources = null)
{
    /// <summary>A RESERVE, UNRESERVE, CREATE or DESTROY of <paramref name="resources"/>.</summary>
    public static OfferOperation Conversion(string type, Scheduling.Resources.Resources resources) => new(type, [], resources);

    /// <summary>The conversion this operation is, or null for a launch.</summary>
    public Scheduling.Resources.ResourceOperation? AsConversion() =>
        Scheduling.Resources.ResourceOperation.IsConversion(Type) ? new(Type, Resources ?? Scheduling.Resources.Resources.Empty) : null;
}
