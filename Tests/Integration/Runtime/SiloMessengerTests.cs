using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Membership;
using OrleansDcos.Runtime.Messaging;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>Back-pressure and fail-fast of silo-to-silo sends, against a peer that accepts connections and never answers.</summary>
[Trait("Area", "Runtime")]
public sealed class SiloMessengerTests
{
    private static readonly GrainMethod Where = GrainInterfaceInfo.Of(typeof(IWhereGrain)).Methods.Single(m => m.Method.Name == nameof(IWhereGrain.Where));

    private static GrainRequest NewRequest(int i)
    {
        var request = Where.CreateRequest(typeof(IWhereGrain), $"k{i}", []);
        request.Target = new GrainId("where", $"k{i}");
        request.DeadlineMs = Environment.TickCount64 + 30_000;
        return request;
    }

    [Fact]
    public async Task Beyond_the_per_silo_queue_bound_calls_fail_at_once_with_an_overload_error_and_the_rest_fail_fast_on_death()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts, never answers: the link's handshake hangs
        silent.Start();
        var accepted = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                var client = await silent.AcceptTcpClientAsync();
                lock (accepted)
                {
                    accepted.Add(client);
                }
            }
        });
        var peer = new SiloAddress("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port, 1);
        using var messenger = new SiloMessenger(new SiloNetwork(), Options.Create(new GrainRuntimeOptions { MaxQueuedCallsPerSilo = 4 }));

        // The first call waits in the queue while its link connects; three more fit; the rest are refused at once.
        var firstRequest = NewRequest(0);
        var first = messenger.SendAsync(peer, firstRequest, placed: false);
        await Poll.UntilAsync(() =>
        {
            lock (accepted)
            {
                return Task.FromResult(accepted.Count >= 1);
            }
        }, TimeSpan.FromSeconds(10), "the link to be connecting");
        var requests = Enumerable.Range(10, 10).Select(NewRequest).ToArray();
        var sends = requests.Select(r => messenger.SendAsync(peer, r, placed: false)).ToArray();

        var refused = requests.Where(r => r.ResultTask.IsFaulted).ToArray();
        Assert.Equal(7, refused.Length);
        Assert.All(refused, r => Assert.IsType<GrainOverloadedException>(r.ResultTask.Exception!.InnerException));

        messenger.SiloDied(peer);
        await Task.WhenAll([.. sends, first]).WaitAsync(TimeSpan.FromSeconds(3)); // not the 30 s deadline
        Assert.All(requests.Except(refused).Append(firstRequest), r => Assert.IsType<SiloUnavailableException>(r.ResultTask.Exception!.InnerException));
        lock (accepted)
        {
            accepted.ForEach(c => c.Dispose());
        }
    }
}
