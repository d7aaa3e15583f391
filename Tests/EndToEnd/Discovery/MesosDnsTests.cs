using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OrleansDcos.Tests.Support;
using OrleansDcos.Tests.Support.Discovery;
using OrleansDcos.Tests.Support.Marathon;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Discovery;

/// <summary>The embedded silo's DNS server asked with the real <c>dig</c>: Marathon tasks by Mesos-DNS' names, the cluster's names, the rest.</summary>
[Trait("Area", "Discovery")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MesosDnsTests
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);

    [RequiresFact(Component.Dig)]
    public async Task Tasks_resolve_by_A_and_SRV_while_running_and_leave_the_answers_when_killed()
    {
        await using var silo = await SiloProcess.StartAsync();
        using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
        await api.WaitForAgentsAsync();
        var dig = new Dig("127.0.0.1", silo.DnsPort);

        const string id = "/prod/web";
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", App(id, 3));
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", App("/odd-group/my.app", 1));
        await api.WaitForTasksAsync(id, 3);
        var ports = MarathonApi.Ports(await api.TasksAsync(id)).Order().ToList();

        // One SRV record per task's port, each target named for its task and agent, its address alongside.
        var srv = await WaitForAsync(dig, "_web-prod._tcp.marathon.mesos", "SRV", a => a.Answers.Count == 3);
        Assert.Equal(ports, srv.Answers.Select(r => int.Parse(r.Data.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(srv.Answers, r => Assert.Matches(@"^0 0 \d+ web-prod-[a-z0-9]{5}-[a-z0-9-]+\.marathon\.slave\.mesos\.$", r.Data));
        Assert.Equal(srv.Answers.Select(r => r.Data.Split(' ')[3]).Order(), srv.Additional.Where(r => r.Type == "A").Select(r => r.Name).Order());
        Assert.Contains("aa", srv.Flags);
        Assert.Equal(3, (await dig.AskAsync("_web-prod._udp.marathon.mesos", "SRV")).Answers.Count);
        Assert.Equal(3, (await dig.AskAsync("_web-prod._tcp.marathon.slave.mesos", "SRV")).Answers.Count);

        // The port definition's name: SRV _http._web-prod._tcp (its protocol only), targets named for the task itself.
        var named = await dig.AskAsync("_http._web-prod._tcp.marathon.mesos", "SRV");
        Assert.Equal(ports, named.Answers.Select(r => int.Parse(r.Data.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(named.Answers, r => Assert.Matches(@"web-prod-[a-z0-9]{5}-[a-z0-9-]+\.marathon\.mesos\.$", r.Data));
        Assert.Equal("NXDOMAIN", (await dig.AskAsync("_http._web-prod._udp.marathon.mesos", "SRV")).Status);

        // A records: the tasks' address (the embedded agent's), under the task's name and under slave.
        var a = await dig.AskAsync("WEB-PROD.Marathon.Mesos.");
        Assert.Equal("NOERROR", a.Status);
        Assert.Equal(["127.0.0.1"], a.Answers.Select(r => r.Data).Distinct());
        Assert.Equal("127.0.0.1", Assert.Single((await dig.AskAsync("web-prod.marathon.slave.mesos")).Answers).Data);

        // Groups flattened and dots mapped as Mesos-DNS does: /odd-group/my.app (task name my.app.odd-group) → my-app-odd-group.
        await WaitForAsync(dig, "my-app-odd-group.marathon.mesos", "A", r => r.Answers.Count == 1);

        // Mesos-DNS' HTTP API on the silo's port answers from the same records.
        var hosts = JsonNode.Parse(await api.Http.GetStringAsync("/v1/hosts/web-prod.marathon.mesos"))!.AsArray();
        Assert.Equal("web-prod.marathon.mesos.", hosts[0]!["host"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", hosts[0]!["ip"]!.GetValue<string>());
        var services = JsonNode.Parse(await api.Http.GetStringAsync("/v1/services/_web-prod._tcp.marathon.mesos."))!.AsArray();
        Assert.Equal(ports, services.Select(e => int.Parse(e!["port"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.All(services, e => Assert.Equal("127.0.0.1", e!["ip"]!.GetValue<string>()));
        var none = JsonNode.Parse(await api.Http.GetStringAsync("/v1/hosts/nothing.mesos"))!.AsArray();
        Assert.Equal("", Assert.Single(none)!["host"]!.GetValue<string>());
        var enumerated = JsonNode.Parse(await api.Http.GetStringAsync("/v1/enumerate"))!["frameworks"]!.AsArray();
        var marathon = Assert.Single(enumerated, f => f!["name"]!.GetValue<string>() == "marathon")!;
        Assert.Equal(4, marathon["tasks"]!.AsArray().Count);
        Assert.Contains(marathon["tasks"]!.AsArray().SelectMany(t => t!["records"]!.AsArray()), r => r!["name"]!.GetValue<string>() == "web-prod.marathon.mesos." && r["rtype"]!.GetValue<string>() == "A");
        Assert.Equal("Mesos-DNS", JsonNode.Parse(await api.Http.GetStringAsync("/v1/version"))!["Service"]!.GetValue<string>());
        var config = JsonNode.Parse(await api.Http.GetStringAsync("/v1/config"))!;
        Assert.Equal("mesos", config["Domain"]!.GetValue<string>());
        Assert.Equal(silo.DnsPort, config["Port"]!.GetValue<int>());

        // The cluster's own names.
        Assert.Equal("127.0.0.1", Assert.Single((await dig.AskAsync("leader.mesos")).Answers).Data);
        Assert.Equal("127.0.0.1", Assert.Single((await dig.AskAsync("master.mesos", tcp: true)).Answers).Data);
        Assert.Equal("127.0.0.1", Assert.Single((await WaitForAsync(dig, "slave.mesos", "A", r => r.Answers.Count > 0)).Answers).Data);
        Assert.Equal($"0 0 {silo.BaseAddress.Port} leader.mesos.", Assert.Single((await dig.AskAsync("_leader._tcp.mesos", "SRV")).Answers).Data);
        var soa = await dig.AskAsync("mesos", "SOA");
        Assert.StartsWith("ns1.mesos. root.ns1.mesos. ", Assert.Single(soa.Answers, r => r.Type == "SOA").Data);

        // A health-checked task is listed only once healthy: one whose check never passes is never in DNS.
        var sick = App("/prod/sick", 1);
        sick["healthChecks"] = new JsonArray(new JsonObject
        {
            ["protocol"] = "MESOS_HTTP",
            ["path"] = "/",
            ["portIndex"] = 0,
            ["gracePeriodSeconds"] = 0,
            ["intervalSeconds"] = 1,
            ["timeoutSeconds"] = 1,
            ["maxConsecutiveFailures"] = 1000,
            ["delaySeconds"] = 0,
        });
        await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", sick);
        await PollValue.UntilAsync(async () => (await api.TasksAsync("/prod/sick")).FirstOrDefault(t =>
            t!["state"]!.GetValue<string>() == "TASK_RUNNING" && t["healthCheckResults"] is JsonArray { Count: > 0 } results
            && results[0]!["alive"]!.GetValue<bool>() == false), Fresh, "the sick task running with a failed check");
        Assert.Equal("NXDOMAIN", (await dig.AskAsync("sick-prod.marathon.mesos")).Status);

        // Unknown names in the domain: NXDOMAIN with the SOA; names that exist, of another type: no data, with the SOA.
        var missing = await dig.AskAsync("nothing.marathon.mesos");
        Assert.Equal("NXDOMAIN", missing.Status);
        Assert.Equal("SOA", Assert.Single(missing.Authority).Type);
        var noData = await dig.AskAsync("web-prod.marathon.mesos", "AAAA");
        Assert.Equal("NOERROR", noData.Status);
        Assert.Empty(noData.Answers);
        Assert.Equal("SOA", Assert.Single(noData.Authority).Type);

        // Other domains: no resolver is configured, so they are refused.
        Assert.Equal("REFUSED", (await dig.AskAsync("example.org")).Status);

        // A task killed (and not replaced) leaves the answers; the others stay.
        var victim = (await api.TasksAsync(id))[0]!;
        var victimPort = victim["ports"]![0]!.GetValue<int>();
        var scaling = await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}/tasks/{victim["id"]}?scale=true");
        var after = await WaitForAsync(dig, "_web-prod._tcp.marathon.mesos", "SRV", r => r.Answers.Count == 2);
        Assert.DoesNotContain(after.Answers, r => r.Data.Split(' ')[2] == victimPort.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The app removed (once the kill-and-scale deployment is over: until then the app is locked): its names are gone.
        await api.WaitForDeploymentAsync(scaling!["deploymentId"]!.GetValue<string>());
        await api.ExpectAsync(HttpStatusCode.OK, HttpMethod.Delete, $"/v2/apps{id}");
        await WaitForAsync(dig, "web-prod.marathon.mesos", "A", r => r.Status == "NXDOMAIN");
    }

    [RequiresFact(Component.Dig)]
    public async Task Ten_thousand_random_and_mutated_packets_leave_the_server_answering()
    {
        await using var silo = await SiloProcess.StartAsync();
        var dig = new Dig("127.0.0.1", silo.DnsPort);
        await WaitForAsync(dig, "leader.mesos", "A", r => r.Answers.Count == 1);

        // A real query to mutate: "leader.mesos A", id 0x1234, recursion desired.
        byte[] query = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 6, .. "leader"u8, 5, .. "mesos"u8, 0, 0, 1, 0, 1];
        var random = new Random(22);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = new IPEndPoint(IPAddress.Loopback, silo.DnsPort);
        for (var i = 0; i < 10_000; i++)
        {
            byte[] packet;
            switch (i % 4)
            {
                case 0: // garbage of any length, up to an oversized datagram
                    packet = new byte[random.Next(0, i % 100 == 0 ? 9000 : 600)];
                    random.NextBytes(packet);
                    break;
                case 1: // a real query with a few bytes flipped
                    packet = [.. query];
                    for (var flips = random.Next(1, 4); flips > 0; flips--)
                    {
                        packet[random.Next(packet.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 2: // cut short
                    packet = query[..random.Next(0, query.Length)];
                    break;
                default: // counts and opcodes that lie, and an EDNS record that is not one
                    packet = [.. query, 0, 0, 41, (byte)random.Next(256), (byte)random.Next(256), .. Enumerable.Range(0, random.Next(0, 12)).Select(_ => (byte)random.Next(256))];
                    packet[2] = (byte)(random.Next(16) << 3);
                    packet[random.Next(4, 12)] = (byte)random.Next(256);
                    break;
            }

            await udp.SendAsync(packet, target);
            while (udp.Available > 0)
            {
                await udp.ReceiveAsync();
            }
        }

        // Still up and still right, over UDP and TCP.
        Assert.Equal("127.0.0.1", Assert.Single((await WaitForAsync(dig, "leader.mesos", "A", r => r.Answers.Count == 1)).Answers).Data);
        Assert.Equal("127.0.0.1", Assert.Single((await dig.AskAsync("leader.mesos", tcp: true)).Answers).Data);
        Assert.Equal("NXDOMAIN", (await dig.AskAsync("nothing.mesos")).Status);
    }

    [RequiresFact(Component.Dig)]
    public async Task Names_outside_the_domain_go_to_the_configured_resolver_and_large_answers_to_tcp()
    {
        // The resolver: a DNS server of the test's own on 127.0.0.7 that knows one name outside the domain.
        var resolverPort = FreePort.Next();
        var upstream = new ARSoft.Tools.Net.Dns.DnsServer(new ARSoft.Tools.Net.Dns.UdpServerTransport(new IPEndPoint(IPAddress.Parse("127.0.0.7"), resolverPort), 2000));
        var asked = 0;
        upstream.QueryReceived += (_, e) =>
        {
            var query = (ARSoft.Tools.Net.Dns.DnsMessage)e.Query;
            var response = query.CreateResponseInstance();
            Interlocked.Increment(ref asked);
            if (query.Questions[0].Name.Equals(ARSoft.Tools.Net.DomainName.Parse("db.example.test")))
            {
                response.AnswerRecords.Add(new ARSoft.Tools.Net.Dns.ARecord(query.Questions[0].Name, 30, IPAddress.Parse("127.0.0.99")));
            }
            else
            {
                response.ReturnCode = ARSoft.Tools.Net.Dns.ReturnCode.NxDomain;
            }

            e.Response = response;
            return Task.CompletedTask;
        };
        upstream.Start();
        try
        {
            await using var silo = await SiloProcess.StartAsync($"--Discovery:Resolvers:0=127.0.0.7:{resolverPort}");
            using var api = new MarathonApi(silo.BaseAddress, () => silo.OutputTail(80));
            await api.WaitForAgentsAsync();
            var dig = new Dig("127.0.0.1", silo.DnsPort);

            var forwarded = await WaitForAsync(dig, "db.example.test", "A", r => r.Answers.Count == 1);
            Assert.Equal("127.0.0.99", forwarded.Answers[0].Data);
            Assert.Contains("ra", forwarded.Flags);
            Assert.Equal("NXDOMAIN", (await dig.AskAsync("nope.example.test")).Status);
            Assert.True(asked >= 2);

            // 40 tasks of one app: the SRV answer is larger than 512 bytes. Without EDNS, UDP gets it truncated (TC)
            // and dig, as resolvers do, asks again over TCP and gets all of it.
            const string id = "/many";
            var app = App(id, 40);
            app["cmd"] = "sleep 600";
            await api.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/v2/apps", app);
            await api.WaitForTasksAsync(id, 40, timeout: TimeSpan.FromSeconds(120));
            var truncated = await WaitForAsync(dig, "_many._tcp.marathon.mesos", "SRV", r => r.Flags.Contains("tc"), noEdns: true, noTcpFallback: true);
            Assert.True(truncated.Answers.Count < 40);
            var full = await WaitForAsync(dig, "_many._tcp.marathon.mesos", "SRV", r => r.Answers.Count == 40, noEdns: true);
            Assert.DoesNotContain("tc", full.Flags);
            Assert.Equal(40, (await dig.AskAsync("_many._tcp.marathon.mesos", "SRV", tcp: true)).Answers.Count);
        }
        finally
        {
            upstream.Stop();
        }
    }

    private static JsonObject App(string id, int instances) => new()
    {
        ["id"] = id,
        ["cmd"] = "sleep 600",
        ["cpus"] = 0.01,
        ["mem"] = 16,
        ["instances"] = instances,
        ["portDefinitions"] = new JsonArray(new JsonObject { ["port"] = 0, ["name"] = "http" }),
    };

    private static async Task<Dig.Answer> WaitForAsync(Dig dig, string name, string type, Func<Dig.Answer, bool> done, bool noEdns = false, bool noTcpFallback = false)
    {
        Dig.Answer? last = null;
        return await PollValue.UntilAsync(async () =>
        {
            last = await dig.AskAsync(name, type, noEdns: noEdns, noTcpFallback: noTcpFallback);
            return done(last) ? last : null;
        }, Fresh, () => $"dig {name} {type}; last answer:\n{last?.Output}");
    }
}
