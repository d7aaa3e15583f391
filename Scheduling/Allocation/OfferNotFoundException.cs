namespace OrleansDcos.Scheduling.Allocation;

/// <summary>The offer is unknown: already answered, rescinded, timed out, or never made.</summary>
public sealed class OfferNotFoundException(string offerId)
    : InvalidOperationException($"offer '{offerId}' is no longer valid (answered, rescinded or timed out)")
{
    /// <summary>The offer id.</summary>
    public string OfferId { get; } = offerId;
}
