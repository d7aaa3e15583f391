using OrleansDcos.NodeDaemon.Agent;
using OrleansDcos.Scheduling.Resources;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

[Trait("Area", "Agent")]
public sealed class ResourceDetectorTests
{
    [Fact]
    public void Operator_settings_replace_detected_resources_by_name_and_add_new_ones()
    {
        var detected = new[] { ("cpus", "cpus:8"), ("mem", "mem:15000"), ("ports", "ports:[31000-32000]") };

        Assert.Equal("mem:15000;cpus:2;ports:[5000-5010];gpus(ml):1",
            ResourceDetector.Merge(detected, "cpus:2; ports:[5000-5010]; gpus(ml):1"));
        Assert.Equal("cpus:8;mem:15000;ports:[31000-32000]", ResourceDetector.Merge(detected, null));
    }

    [Fact]
    public void Detection_offers_every_cpu_memory_less_a_reserve_disk_and_the_default_ports()
    {
        using var work = new OrleansDcos.Tests.Support.TempDirectory();

        var text = ResourceDetector.Detect(work.Path, null, gpus: () => 2);

        Assert.Contains($"cpus:{Environment.ProcessorCount}", text, StringComparison.Ordinal);
        Assert.Contains("ports:[31000-32000]", text, StringComparison.Ordinal);
        Assert.Contains("gpus:2", text, StringComparison.Ordinal);
        Assert.Matches(@"mem:\d+", text);
        Assert.Matches(@"disk:\d+", text);
    }

    [Fact]
    public void A_tasks_ports_come_in_order_from_its_ranges()
    {
        Assert.Equal([31000, 31001, 31005], AgentDaemon.PortsOf(Resources.Parse("cpus:1;ports:[31000-31001,31005-31005];mem:32")));
        Assert.Empty(AgentDaemon.PortsOf(Resources.Parse("cpus:1;mem:32")));
    }

    [Fact]
    public void A_tasks_resources_are_read_by_the_one_parser_over_every_role()
    {
        Assert.Equal([31000, 31001, 31005, 31007], AgentDaemon.PortsOf(Resources.Parse("ports(web):[31007-31007];cpus:1;ports:[31000-31001,31005-31005]")));
        Assert.Equal(1.5, AgentDaemon.ScalarOf(Resources.Parse("cpus(web):1;mem:32;cpus:0.5"), "cpus"));
        Assert.Equal(0, AgentDaemon.ScalarOf(Resources.Parse("cpus:1"), "gpus"));
    }
}
