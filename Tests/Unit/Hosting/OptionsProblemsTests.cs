using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Master;
using OrleansDcos.NodeDaemon.Agent;
using Xunit;

namespace OrleansDcos.Tests.Unit.Hosting;

/// <summary>Every options type lists its own problems, each naming the setting; defaults have none.</summary>
public sealed class OptionsProblemsTests
{
    [Fact]
    public void Defaults_have_no_problems()
    {
        Assert.Empty(new MasterOptions().Problems());
        Assert.Empty(new MarathonOptions().Problems());
        Assert.Empty(new DaemonOptions { Gateways = [new Uri("http://127.0.0.1:8080")] }.Problems());
    }

    [Fact]
    public void Every_problem_is_listed_at_once_naming_its_setting()
    {
        var master = new MasterOptions { AllocationInterval = TimeSpan.Zero, OfferTimeout = TimeSpan.FromSeconds(-1) }.Problems();
        Assert.Equal(2, master.Count);
        Assert.Contains(master, p => p.StartsWith("Master:AllocationInterval must be positive", StringComparison.Ordinal));

        var marathon = new MarathonOptions { ReconcileInterval = TimeSpan.Zero, MaxInstancesPerApp = 0 }.Problems();
        Assert.Equal(2, marathon.Count);
        Assert.Contains(marathon, p => p.Contains("ReconcileInterval", StringComparison.Ordinal));

        var daemon = new DaemonOptions { Gateways = [], Port = 0, ListenAddress = "localhost" };
        Assert.Equal(3, daemon.Problems().Count);
        Assert.Contains(daemon.Problems(), p => p == "Daemon:ListenAddress must be an IP address (is 'localhost')");
        var thrown = Assert.Throws<ArgumentException>(daemon.Validate);
        Assert.Contains("Daemon:Gateways", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("Daemon:Port", thrown.Message, StringComparison.Ordinal);
    }
}
