using System.Text.Json;
using OrleansDcos.Grains.Marathon;

namespace OrleansDcos.Client.Marathon;

/// <summary>An app's entry in <c>/v2/queue</c>.</summary>
public sealed record MarathonQueueItem(
    AppDefinition App,
    int Count,
    int DelayTimeLeftSeconds,
    bool Overdue,
    string Since,
    int ProcessedOffers,
    int UnusedOffers,
    IReadOnlyDictionary<string, int> RejectSummary,
    string? LastReason)
{
    internal static MarathonQueueItem Read(JsonElement json)
    {
        var delay = json.GetProperty("delay");
        var offers = json.GetProperty("processedOffersSummary");
        return new MarathonQueueItem(
            json.GetProperty("app").Deserialize<AppDefinition>()!,
            json.GetProperty("count").GetInt32(),
            delay.GetProperty("timeLeftSeconds").GetInt32(),
            delay.GetProperty("overdue").GetBoolean(),
            json.GetProperty("since").GetString()!,
            offers.GetProperty("processedOffersCount").GetInt32(),
            offers.GetProperty("unusedOffersCount").GetInt32(),
            offers.GetProperty("rejectSummaryLastOffers").EnumerateArray()
                .ToDictionary(r => r.GetProperty("reason").GetString()!, r => r.GetProperty("declined").GetInt32(), StringComparer.Ordinal),
            json.TryGetProperty("lastReason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null);
    }
}
