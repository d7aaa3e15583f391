using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using OrleansDcos.Client.Cluster;
using OrleansDcos.Scheduling.Security;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Security;

/// <summary>
/// TLS on in cluster mode: the API and the agent link answer HTTPS only, an agent trusting the cluster CA links over
/// wss and one trusting another CA does not, and a silo whose certificate another CA signed cannot join.
/// </summary>
[Trait("Area", "Security")]
public sealed class TlsTests
{
    [RequiresFact(Component.Postgres)]
    public async Task With_tls_plain_http_is_refused_agents_must_trust_the_cluster_ca_and_a_silo_of_another_ca_cannot_join()
    {
        TestEnvironment.Require(Component.Postgres);
        await using var schema = await PostgresSchema.CreateAsync();
        using var pki = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("test cluster CA", now);
        using var otherCa = CertificateAuthority.Create("another CA", now);
        var caFile = Write(pki.Path, "ca", ca, withKey: false);
        var otherCaFile = Write(pki.Path, "other-ca", otherCa, withKey: false);

        string[] Tls(string host, X509Certificate2 issuer) =>
        [
            "--urls", $"https://{host}:{FreePort.Next()}", "--Security:Insecure=false",
            $"--Security:Tls:CertificateFile={Write(pki.Path, host, CertificateAuthority.Issue(issuer, host, [IPAddress.Parse(host)], [], now), withKey: true)}",
            $"--Security:Tls:KeyFile={Path.Combine(pki.Path, host + ".key")}",
            $"--Security:Tls:CaFile={(issuer == ca ? caFile : otherCaFile)}",
        ];

        await using var first = await SiloProcess.StartClusterMemberAsync("127.0.0.2", schema.ConnectionString, "tls", Tls("127.0.0.2", ca));
        await using var second = await SiloProcess.StartClusterMemberAsync("127.0.0.3", schema.ConnectionString, "tls", Tls("127.0.0.3", ca));
        Assert.Equal("https", first.BaseAddress.Scheme);
        using var trusting = new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => certificate is not null
                && (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == System.Net.Security.SslPolicyErrors.None
                && CertificateAuthority.IsSignedBy(certificate, ca),
        })
        { BaseAddress = first.BaseAddress };
        Assert.Equal("pong", await trusting.GetStringAsync("/ping"));
        await Poll.UntilAsync(async () => (await first.ActiveMembersAsync(trusting)).Length == 2, TimeSpan.FromSeconds(60), "two silos talking TLS");

        // An Orleans client with a certificate of the cluster CA calls grains; one of another CA is not let in.
        Assert.True(await ClientCallsAsync(schema.ConnectionString, CertificateAuthority.Issue(ca, "client", [], ["client"], now), ca, TimeSpan.FromSeconds(30)) >= 0);
        Assert.NotNull(await Record.ExceptionAsync(() => ClientCallsAsync(schema.ConnectionString, CertificateAuthority.Issue(otherCa, "client", [], ["client"], now), otherCa, TimeSpan.FromSeconds(8))));

        // Plain HTTP to the same port gets no answer of the API.
        using (var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            var answer = await Record.ExceptionAsync(async () =>
            {
                using var response = await plain.GetAsync(new UriBuilder(first.BaseAddress) { Scheme = "http" }.Uri + "ping");
                Assert.NotEqual("pong", await response.Content.ReadAsStringAsync());
            });
            Assert.True(answer is null or HttpRequestException, $"plain HTTP: {answer}");
        }

        // An agent that trusts the cluster CA links over wss; one that trusts another CA does not.
        using var work = new TempDirectory();
        await using (var agent = await DaemonProcess.StartAsync(first.BaseAddress, work.Path, "cpus:1;mem:128;disk:10;ports:[32600-32601]", $"--Daemon:CaFile={caFile}"))
        {
            Assert.Single(await ActiveAgentsAsync(trusting));
        }

        using var strayWork = new TempDirectory();
        await using (var stray = await DaemonProcess.StartRefusedAsync(first.BaseAddress, strayWork.Path, "cpus:1;mem:128;disk:10;ports:[32602-32603]", $"--Daemon:CaFile={otherCaFile}"))
        {
            await stray.WaitForOutputAsync("remote certificate", TimeSpan.FromSeconds(30));
            Assert.DoesNotContain(stray.Output, line => line.Contains("registered through", StringComparison.Ordinal));
        }

        // A silo whose certificate another CA signed is refused by both (and refuses them): it never becomes an active member.
        using var intruderData = new TempDirectory();
        await using var intruder = SiloProcess.StartRaw([
            "--Silo:Mode=Cluster", $"--Silo:PostgresConnectionString={schema.ConnectionString}", "--Silo:ClusterId=tls", .. SiloProcess.Plain, .. Tls("127.0.0.4", otherCa),
            $"--Silo:DataDirectory={intruderData.Path}", $"--Silo:SiloPort={FreePort.Next()}", $"--Silo:GatewayPort={FreePort.Next()}", $"--Discovery:Port={FreePort.Next()}"]);
        await intruder.WaitForLineAsync("remote certificate", TimeSpan.FromSeconds(60));

        Assert.Equal(2, (await first.ActiveMembersAsync(trusting)).Length);
        Assert.DoesNotContain((await trusting.GetFromJsonAsync<JsonArray>("/cluster/members"))!, m => m!["address"]!.GetValue<string>().StartsWith("127.0.0.4", StringComparison.Ordinal) && m["status"]!.GetValue<string>() == "Active");
    }

    private static async Task<long> ClientCallsAsync(string connectionString, X509Certificate2 certificate, X509Certificate2 trusted, TimeSpan within)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client.UseDcosCluster(new DcosClusterOptions
        {
            PostgresConnectionString = connectionString,
            ClusterId = "tls",
            Certificate = certificate,
            TrustedCa = trusted,
        }));
        builder.Services.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        using var host = builder.Build();
        using var deadline = new CancellationTokenSource(within);
        await host.StartAsync(deadline.Token);
        try
        {
            return await host.Services.GetRequiredService<IClusterClient>().TaskStatusHeadAsync();
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static string Write(string directory, string name, X509Certificate2 certificate, bool withKey)
    {
        var file = Path.Combine(directory, name + ".crt");
        File.WriteAllText(file, CertificateAuthority.CertificatePem(certificate));
        if (withKey)
        {
            File.WriteAllText(Path.Combine(directory, name + ".key"), CertificateAuthority.KeyPem(certificate));
        }

        return file;
    }

    private static async Task<List<string>> ActiveAgentsAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<JsonObject>("/master/slaves"))!["slaves"]!.AsArray().Where(s => s!["active"]!.GetValue<bool>()).Select(s => s!["id"]!.GetValue<string>())];
}
