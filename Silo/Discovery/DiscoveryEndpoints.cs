using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OrleansDcos.Scheduling.Discovery;

namespace OrleansDcos.Silo.Discovery;

/// <summary>
/// Mesos-DNS' HTTP API on the silo's own port, from the same directory DNS answers from: <c>/v1/version</c>,
/// <c>/v1/config</c> (its configuration keys, with this silo's values), <c>/v1/hosts/{host}</c> (the A records of a
/// name), <c>/v1/services/{service}</c> (the SRV records of a name, each with its target's address) and
/// <c>/v1/enumerate</c> (every task's records, by framework). As Mesos-DNS, a name without records answers one entry
/// of empty strings, not 404.
/// </summary>
public static class DiscoveryEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static IEndpointRouteBuilder MapDiscovery(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/version", () => Results.Json(new JsonObject
        {
            ["Service"] = "Mesos-DNS",
            ["URL"] = "https://github.com/mesosphere/mesos-dns",
            ["Version"] = typeof(DiscoveryEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0",
        }));
        endpoints.MapGet("/v1/config", (IOptions<DiscoveryOptions> options, DiscoveryDirectory directory, MesosDnsServer server, IClusterMembershipService membership, HttpContext context) =>
        {
            var settings = options.Value;
            var zone = directory.Zone;
            return Results.Json(new JsonObject
            {
                ["Masters"] = new JsonArray([.. membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
                    .OrderBy(m => m.SiloAddress.Generation).Select(m => (JsonNode)m.Name)]),
                ["RefreshSeconds"] = 0, // not polled: the task-status stream is followed
                ["TTL"] = zone.Ttl,
                ["Port"] = server.Endpoint?.Port ?? settings.Port ?? 0,
                ["Domain"] = zone.Origin.TrimEnd('.'),
                ["Resolvers"] = new JsonArray([.. settings.Resolvers.Select(r => (JsonNode)r)]),
                ["Timeout"] = (int)Math.Ceiling(settings.ForwardTimeout.TotalSeconds),
                ["SOAMname"] = zone.NameServerName,
                ["SOARname"] = zone.MailboxName,
                ["SOASerial"] = directory.Serial,
                ["SOARefresh"] = zone.Refresh,
                ["SOARetry"] = zone.Retry,
                ["SOAExpire"] = zone.Expire,
                ["SOAMinttl"] = zone.MinimumTtl,
                ["RecurseOn"] = settings.Resolvers.Count > 0,
                ["Listener"] = server.Endpoint?.Address.ToString() ?? "",
                ["HttpPort"] = context.Connection.LocalPort,
                ["DnsOn"] = settings.Enabled,
                ["HttpOn"] = true,
                ["ExternalOn"] = settings.Resolvers.Count > 0,
                ["EnforceRFC952"] = false,
                ["IPSources"] = new JsonArray("host"),
            });
        });
        endpoints.MapGet("/v1/hosts/{host}", (string host, DiscoveryDirectory directory) =>
        {
            var name = DnsAnswers.Normalize(host);
            var found = directory.Lookup(name, DnsRecordType.A);
            return Results.Json(found.Count == 0
                ? [new JsonObject { ["host"] = "", ["ip"] = "" }]
                : new JsonArray([.. found.Select(r => (JsonNode)new JsonObject { ["host"] = name, ["ip"] = r.Host })]));
        });
        endpoints.MapGet("/v1/services/{service}", (string service, DiscoveryDirectory directory) =>
        {
            var found = directory.Lookup(service, DnsRecordType.Srv);
            return Results.Json(found.Count == 0
                ? [new JsonObject { ["service"] = "", ["host"] = "", ["ip"] = "", ["port"] = "" }]
                : new JsonArray([.. found.Select(r => (JsonNode)new JsonObject
                {
                    ["service"] = service,
                    ["host"] = r.Host,
                    ["ip"] = directory.Lookup(r.Host, DnsRecordType.A).FirstOrDefault().Host ?? "",
                    ["port"] = r.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                })]));
        });
        endpoints.MapGet("/v1/enumerate", (DiscoveryDirectory directory) => Results.Json(new JsonObject
        {
            ["frameworks"] = new JsonArray([.. directory.Tasks().GroupBy(t => t.Framework, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (JsonNode)new JsonObject
                {
                    ["name"] = g.Key,
                    ["tasks"] = new JsonArray([.. g.OrderBy(t => t.TaskId, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject
                    {
                        ["name"] = t.Name,
                        ["id"] = t.TaskId,
                        ["records"] = new JsonArray([.. t.Records.Select(r => (JsonNode)new JsonObject
                        {
                            ["name"] = r.Name,
                            ["host"] = r.Type == DnsRecordType.A ? r.Host : $"{r.Host}:{r.Port}",
                            ["rtype"] = r.Type == DnsRecordType.A ? "A" : "SRV",
                        })]),
                    })]),
                })]),
        }));
        return endpoints;
    }
}
