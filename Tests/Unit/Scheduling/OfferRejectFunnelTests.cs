using OrleansDcos.Scheduling.Placement;
using Xunit;

namespace OrleansDcos.Tests.Unit.Scheduling;

[Trait("Area", "Fidelity")]
public sealed class OfferRejectFunnelTests
{
    [Fact]
    public void Every_reason_is_listed_in_Marathons_order_with_the_offers_that_reached_it()
    {
        var funnel = OfferRejectFunnel.Summarize(new Dictionary<string, int>
        {
            [RejectReasons.InsufficientMem] = 3,
            ["constraint UNIQUE hostname"] = 2,
            [RejectReasons.RequiredPortsUnavailable] = 1,
            ["insufficient licences"] = 1,
        }, offers: 10);

        Assert.Equal(OfferRejectFunnel.Reasons, funnel.Select(f => f.Reason));
        Assert.Equal(("UnfulfilledConstraint", 2, 10), funnel[1]);
        Assert.Equal(("InsufficientCpus", 0, 8), funnel[3]);
        Assert.Equal(("InsufficientMemory", 3, 8), funnel[4]);
        Assert.Equal(("InsufficientPorts", 1, 5), funnel[7]);
    }

    [Theory]
    [InlineData(RejectReasons.InsufficientCpus, "InsufficientCpus")]
    [InlineData(RejectReasons.InsufficientGpus, "InsufficientGpus")]
    [InlineData("constraint LIKE hostname", "UnfulfilledConstraint")]
    [InlineData("insufficient licences", null)]
    public void Placement_reasons_map_onto_Marathons_names(string rejection, string? reason) =>
        Assert.Equal(reason, OfferRejectFunnel.ReasonOf(rejection));
}
