using OrleansDcos.AgentLink;
using OrleansDcos.Scheduling.Resources;
using Xunit;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class AgentLinkClientTests
{
    [Fact]
    public async Task A_client_can_be_disposed_twice_started_or_not_and_sends_nothing_without_a_link()
    {
        var options = new AgentLinkClientOptions { Gateways = [new Uri("http://127.0.0.1:9")], RetryFirst = TimeSpan.FromMilliseconds(10) };
        var idle = new AgentLinkClient(options, new NoAgent());
        await idle.DisposeAsync();
        await idle.DisposeAsync();

        var started = new AgentLinkClient(options, new NoAgent());
        started.Start();
        await Assert.ThrowsAsync<IOException>(() => started.SendAsync(new AgentLinkMessage(AgentLinkProtocol.Heartbeat), CancellationToken.None));
        Assert.False(started.Connected);
        await started.DisposeAsync();
        await started.DisposeAsync(); // a host stopping the embedded daemon twice must not fail (it did: a disposed CancellationTokenSource)
    }

    [Fact]
    public void A_client_needs_a_gateway()
    {
        Assert.Throws<ArgumentException>(() => new AgentLinkClient(new AgentLinkClientOptions { Gateways = [] }, new NoAgent()));
    }

    private sealed class NoAgent : IAgentLinkHandler
    {
        public AgentRegistration Registration() => new(new AgentInfo("a1", "h", Resources.Parse("cpus:1")), []);

        public Task LinkedAsync(AgentRegistered registered, CancellationToken linkDone) => Task.CompletedTask;

        public void Launch(IReadOnlyList<TaskSpec> tasks)
        {
        }

        public void Kill(string taskId, TimeSpan? grace)
        {
        }

        public void ShutdownFramework(string frameworkId)
        {
        }

        public Task AcknowledgeAsync(TaskAck ack) => Task.CompletedTask;

        public LogChunk ReadLog(LogRequest request) => new(request.RequestId, 0, "", 0);
    }
}
