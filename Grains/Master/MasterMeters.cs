using System.Diagnostics.Metrics;

namespace OrleansDcos.Grains.Master;

/// <summary>
/// The master's counters and histograms as .NET meter instruments (exported by the silo in Prometheus' format, next
/// to Orleans' own): offers made, accepted, declined and rescinded, and how long an allocation round takes.
/// </summary>
public static class MasterMeters
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "OrleansDcos.Master";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Offers sent to frameworks.</summary>
    public static readonly Counter<long> OffersMade = Meter.CreateCounter<long>("mesos.master.offers.made", "{offer}", "Offers sent to frameworks");

    /// <summary>Offers a framework accepted (used some of).</summary>
    public static readonly Counter<long> OffersAccepted = Meter.CreateCounter<long>("mesos.master.offers.accepted", "{offer}", "Offers frameworks accepted");

    /// <summary>Offers a framework declined (or accepted with a call the master refused).</summary>
    public static readonly Counter<long> OffersDeclined = Meter.CreateCounter<long>("mesos.master.offers.declined", "{offer}", "Offers frameworks declined");

    /// <summary>Offers the master took back (expired, agent lost or deactivated, framework gone or suppressed).</summary>
    public static readonly Counter<long> OffersRescinded = Meter.CreateCounter<long>("mesos.master.offers.rescinded", "{offer}", "Offers the master rescinded");

    /// <summary>How long one allocation round takes (the pure allocator's decision, in seconds).</summary>
    public static readonly Histogram<double> AllocationRun = Meter.CreateHistogram<double>("mesos.master.allocation.run.duration", "s", "How long an allocation round takes",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
}
