using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Options;
using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Silo.Discovery;

/// <summary>
/// The DNS server of this silo (UDP and TCP, ARSoft.Tools.Net's server): answers the discovery domain from the
/// directory, forwards other names to the configured resolvers in order (REFUSED without any), and leaves a packet
/// that is not a query message unanswered. An answer too large for a UDP client is sent truncated (TC set), to be
/// asked again over TCP.
/// </summary>
internal sealed partial class MesosDnsServer(
    IOptions<DiscoveryOptions> options,
    IOptions<SiloOptions> silo,
    IConfiguration configuration,
    DiscoveryDirectory directory,
    ILogger<MesosDnsServer> logger) : IHostedService
{
    private static readonly TimeSpan TcpKeepAlive = TimeSpan.FromSeconds(120);
    private readonly List<DnsClient> _resolvers = [];
    private DnsServer? _server;

    /// <summary>Where it listens (known once started).</summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }

        var cluster = silo.Value.Mode == SiloMode.Cluster;
        var address = settings.Address is { } configured ? IPAddress.Parse(configured)
            : cluster ? SiloHostingExtensions.AdvertisedAddress(silo.Value, SiloHostingExtensions.ApiAddress(configuration)?.Host) : IPAddress.Loopback;
        Endpoint = new IPEndPoint(address, settings.Port ?? (cluster ? 53 : 8053));
        var timeout = (int)settings.ForwardTimeout.TotalMilliseconds;
        foreach (var resolver in settings.ResolverEndpoints())
        {
            _resolvers.Add(new DnsClient([resolver.Address], [new UdpClientTransport(resolver.Port), new TcpClientTransport(resolver.Port)], false, timeout));
        }

        _server = new DnsServer(new UdpServerTransport(Endpoint, 2000), new TcpServerTransport(Endpoint, 5000, (int)TcpKeepAlive.TotalMilliseconds));
        _server.QueryReceived += OnQueryAsync;
        _server.ExceptionThrown += (_, e) =>
        {
            // A packet that does not parse as a DNS message is dropped: noted quietly (anyone can send garbage).
            if (e.Exception.Message.StartsWith("Error parsing dns", StringComparison.Ordinal))
            {
                MalformedDropped(logger, e.Exception.InnerException?.Message ?? e.Exception.Message);
            }
            else
            {
                DnsFailed(logger, e.Exception);
            }

            return Task.CompletedTask;
        };
        _server.Start();
        Listening(logger, Endpoint.ToString(), directory.Zone.Origin);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _server?.Stop();
        _server = null;
        return Task.CompletedTask;
    }

    private async Task OnQueryAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is DnsMessage query)
        {
            var response = await DnsResponses.AnswerAsync(query, directory, _resolvers.Count == 0 ? null : ForwardAsync);
            e.Response = response;
            DnsMeters.Queries.Add(1,
                new KeyValuePair<string, object?>("rcode", response?.ReturnCode.ToString().ToUpperInvariant() ?? "NONE"),
                new KeyValuePair<string, object?>("type", query.Questions.Count > 0 ? query.Questions[0].RecordType.ToString().ToUpperInvariant() : "NONE"));
        }
    }

    private async Task<DnsMessage?> ForwardAsync(DnsQuestion question, bool recursionDesired)
    {
        foreach (var resolver in _resolvers)
        {
            var message = new DnsMessage { IsRecursionDesired = recursionDesired };
            message.Questions.Add(question);
            try
            {
                if (await resolver.SendMessageAsync(message) is { } answer)
                {
                    return answer;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ForwardFailed(logger, question.Name.ToString(), ex.Message);
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS listening on {Endpoint} (udp, tcp) for {Domain}")]
    private static partial void Listening(ILogger logger, string endpoint, string domain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS server error")]
    private static partial void DnsFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS: a malformed packet was dropped ({Message})")]
    private static partial void MalformedDropped(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS: forwarding {Name} failed: {Message}")]
    private static partial void ForwardFailed(ILogger logger, string name, string message);
}
