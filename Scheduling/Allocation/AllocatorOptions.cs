namespace OrleansDcos.Scheduling.Allocation;

/// <summary>Settings of the allocator (Mesos master flags of the same meaning).</summary>
public sealed record AllocatorOptions
{
    /// <summary>An offer not answered within this time is rescinded and its resources recovered. Default 30 s; zero disables.</summary>
    public TimeSpan OfferTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The filter applied when a framework declines or leaves resources unused without saying (Mesos: 5 s).</summary>
    public TimeSpan DefaultRefuse { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>An offer must hold at least this many unreserved or reserved cpus, or <see cref="MinAllocatableMem"/> (Mesos: 0.01).</summary>
    public double MinAllocatableCpus { get; init; } = 0.01;

    /// <summary>… or at least this much memory in MB (Mesos: 32); crumbs are not offered.</summary>
    public double MinAllocatableMem { get; init; } = 32;

    /// <summary>Checks the ranges; the message names the bad setting.</summary>
    public void Validate()
    {
        if (OfferTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(OfferTimeout), OfferTimeout, "Allocator:OfferTimeout must not be negative");
        }

        if (DefaultRefuse < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultRefuse), DefaultRefuse, "Allocator:DefaultRefuse must not be negative");
        }

        if (MinAllocatableCpus < 0 || MinAllocatableMem < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinAllocatableCpus), "Allocator:MinAllocatableCpus and Allocator:MinAllocatableMem must not be negative");
        }
    }
}
