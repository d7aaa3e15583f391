using System.Threading.Channels;
using OrleansDcos.NodeDaemon.Containerizers.Process;
using OrleansDcos.NodeDaemon.Health;
using OrleansDcos.NodeDaemon.Isolation;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Agent;

/// <summary>Agent-side health checks against a real busybox httpd run as a task.</summary>
[Trait("Area", "Agent")]
public sealed class HealthCheckTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _work = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ProcessContainer> _started = [];

    private static HealthCheckSpec Fast(HealthCheckProtocol protocol, int port = 0, string? command = null) => new(
        protocol, Port: port, Command: command, GracePeriod: TimeSpan.Zero, Interval: TimeSpan.FromMilliseconds(100),
        Timeout: TimeSpan.FromSeconds(2), MaxConsecutiveFailures: 3, Delay: TimeSpan.Zero);

    private async Task<ProcessContainer> StartHttpdAsync(int port)
    {
        var containerizer = new ProcessContainerizer(Cgroups.Detect(), Path.Combine(_work.Path, "run"));
        var id = $"h-{Guid.NewGuid():N}";
        var sandbox = Path.Combine(_work.Path, id);
        Directory.CreateDirectory(Path.Combine(sandbox, "www"));
        await File.WriteAllTextAsync(Path.Combine(sandbox, "www", "index.html"), "ok");
        var container = await containerizer.LaunchAsync(new ContainerLaunch(
            id, sandbox, ContainerCommand.ShellCommand("exec busybox httpd -f -p 127.0.0.1:$PORT0 -h www"),
            new Dictionary<string, string> { ["PORT0"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Limits: null));
        _started.Add(container);
        return container;
    }

    private Channel<HealthChange> Run(HealthCheckSpec spec, string? sandbox = null)
    {
        var changes = Channel.CreateUnbounded<HealthChange>();
        var checker = new HealthChecker(spec, sandbox ?? _work.Path, new Dictionary<string, string>());
        _ = checker.RunAsync(change => changes.Writer.WriteAsync(change).AsTask(), _stop.Token);
        return changes;
    }

    [RequiresFact(Component.Docker)]
    public async Task An_http_check_turns_healthy_then_gives_up_after_the_server_stops()
    {
        TestEnvironment.Require(Component.Docker); // busybox-static comes with the Docker provisioning
        var port = FreePort.Next();
        var httpd = await StartHttpdAsync(port);
        // The grace period covers httpd starting up: refused connections before the first success do not count.
        var changes = Run(Fast(HealthCheckProtocol.Http, port) with { Path = "/index.html", GracePeriod = TimeSpan.FromSeconds(30) });

        var healthy = await changes.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.True(healthy.Healthy, healthy.Message);
        Assert.Contains("answered 200", healthy.Message);

        await httpd.KillAsync(TimeSpan.FromSeconds(1));

        var unhealthy = await changes.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.False(unhealthy.Healthy);
        Assert.False(unhealthy.GaveUp);
        var gaveUp = await changes.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.True(gaveUp.GaveUp);
        Assert.Equal(3, gaveUp.ConsecutiveFailures);
    }

    [RequiresFact(Component.Docker)]
    public async Task An_http_check_fails_on_an_error_status()
    {
        TestEnvironment.Require(Component.Docker);
        var port = FreePort.Next();
        await StartHttpdAsync(port);
        var checker = new HealthChecker(Fast(HealthCheckProtocol.Http, port) with { Path = "/missing" }, _work.Path, new Dictionary<string, string>());
        (bool Ok, string Message) result = default;

        await Poll.UntilAsync(async () => (result = await checker.CheckOnceAsync(CancellationToken.None)).Message.Contains("answered"), Wait, "httpd to answer");

        Assert.False(result.Ok);
        Assert.Contains("answered 404", result.Message);
    }

    [RequiresFact(Component.Docker)]
    public async Task A_tcp_check_follows_the_listener()
    {
        TestEnvironment.Require(Component.Docker);
        var port = FreePort.Next();
        var checker = new HealthChecker(Fast(HealthCheckProtocol.Tcp, port), _work.Path, new Dictionary<string, string>());
        Assert.False((await checker.CheckOnceAsync(CancellationToken.None)).Ok);

        await StartHttpdAsync(port);

        await Poll.UntilAsync(async () => (await checker.CheckOnceAsync(CancellationToken.None)).Ok, Wait, "the TCP check to pass");
    }

    [Fact]
    public async Task A_command_check_runs_in_the_sandbox_with_the_task_environment()
    {
        var sandbox = Directory.CreateDirectory(Path.Combine(_work.Path, "sb")).FullName;
        var checker = new HealthChecker(Fast(HealthCheckProtocol.Command, command: "test -f \"$MARKER\""), sandbox, new Dictionary<string, string> { ["MARKER"] = "ready" });
        Assert.False((await checker.CheckOnceAsync(CancellationToken.None)).Ok);

        await File.WriteAllTextAsync(Path.Combine(sandbox, "ready"), "");

        Assert.True((await checker.CheckOnceAsync(CancellationToken.None)).Ok);
    }

    [Fact]
    public async Task A_command_check_that_hangs_fails_at_its_timeout()
    {
        var checker = new HealthChecker(Fast(HealthCheckProtocol.Command, command: "sleep 30") with { Timeout = TimeSpan.FromMilliseconds(200) }, _work.Path, new Dictionary<string, string>());

        var (ok, message) = await checker.CheckOnceAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(ok);
        Assert.Contains("no answer within 0.2 s", message);
    }

    [Fact]
    public async Task Failures_within_the_grace_period_are_not_reported_until_the_first_success()
    {
        var sandbox = Directory.CreateDirectory(Path.Combine(_work.Path, "grace")).FullName;
        var changes = Run(Fast(HealthCheckProtocol.Command, command: "test -f up") with { GracePeriod = TimeSpan.FromMinutes(5) }, sandbox);
        await Task.Yield();
        Assert.False(changes.Reader.TryRead(out _));

        await File.WriteAllTextAsync(Path.Combine(sandbox, "up"), "");

        var first = await changes.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.True(first.Healthy); // the failures before it were the task starting up
        File.Delete(Path.Combine(sandbox, "up"));
        var after = await changes.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.False(after.Healthy); // after a success the grace period no longer applies
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var container in _started.Where(c => !c.Exited.IsCompleted))
        {
            container.KillAsync(TimeSpan.Zero).Wait(TimeSpan.FromSeconds(20));
        }

        _work.Dispose();
    }
}
