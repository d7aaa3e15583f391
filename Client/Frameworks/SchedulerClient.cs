using System.Net;
using System.Text.Json.Nodes;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Client.Frameworks;

/// <summary>
/// A typed framework SDK over the Mesos v1 scheduler HTTP API (<c>POST /api/v1/scheduler</c>): subscribe, then
/// read offers and task updates from <see cref="SchedulerSubscription.Events"/> and answer with accept, decline,
/// kill, acknowledge and reconcile. Give it an <see cref="HttpClient"/> whose base address is a silo.
/// </summary>
public sealed class SchedulerClient(HttpClient http)
{
    /// <summary>SUBSCRIBE (with <see cref="FrameworkInfo.Id"/> to fail over): the subscription holds the event stream open.</summary>
    /// <exception cref="DcosApiException">The master refused the subscription (a bad framework info, a removed framework).</exception>
    public async Task<SchedulerSubscription> SubscribeAsync(FrameworkInfo info, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/scheduler")
        {
            Content = ApiResponses.Json(new JsonObject { ["type"] = "SUBSCRIBE", ["subscribe"] = new JsonObject { ["framework_info"] = MesosFrameworkInfoJson.Write(info) } }),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response)
            {
                throw await ApiResponses.ErrorAsync(response, cancellationToken);
            }
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var first = await RecordIo.ReadAsync(body, cancellationToken) ?? throw new DcosApiException(response.StatusCode, ApiError.Of("the event stream ended before SUBSCRIBED"));
        var subscribed = first["subscribed"]!;
        return new SchedulerSubscription(
            http,
            response,
            body,
            subscribed["framework_id"]!["value"]!.GetValue<string>(),
            response.Headers.GetValues("Mesos-Stream-Id").Single(),
            subscribed["heartbeat_interval_seconds"]!.GetValue<double>());
    }
}
