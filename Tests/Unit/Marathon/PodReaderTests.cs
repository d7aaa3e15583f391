using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Scheduler;
using OrleansDcos.Grains.Marathon.Validation;
using OrleansDcos.Mesos;
using OrleansDcos.AgentLink;
using Xunit;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Marathon;

/// <summary>Marathon pod definitions: read with their defaults, refused field by field, and turned into a task group.</summary>
[Trait("Area", "Stateful")]
public sealed class PodReaderTests
{
    private static JsonNode Pod() => JsonNode.Parse("""
        {
          "id": "/shop/cart",
          "labels": {"team": "shop"},
          "environment": {"MODE": "prod"},
          "volumes": [{"name": "shared"}, {"name": "logs", "host": "/var/log/cart"}],
          "containers": [
            {"name": "server", "resources": {"cpus": 0.5, "mem": 64}, "endpoints": [{"name": "http", "hostPort": 0}],
             "exec": {"command": {"shell": "serve"}}, "volumeMounts": [{"name": "shared", "mountPath": "/data"}],
             "healthCheck": {"http": {"endpoint": "http", "path": "/ping"}, "intervalSeconds": 5}},
            {"name": "sidecar", "resources": {"cpus": 0.25, "mem": 32, "disk": 5}, "exec": {"command": {"shell": "tail"}},
             "environment": {"MODE": "side"}, "volumeMounts": [{"name": "shared", "mountPath": "data", "readOnly": true}, {"name": "logs", "mountPath": "logs"}]}
          ],
          "scaling": {"kind": "fixed", "instances": 3},
          "scheduling": {"placement": {"constraints": [{"fieldName": "hostname", "operator": "UNIQUE"}]}, "upgrade": {"minimumHealthCapacity": 0.5}}
        }
        """)!;

    [Fact]
    public void A_pod_is_read_with_its_totals_defaults_and_containers()
    {
        var pod = AppReader.ReadPod(Pod());

        Assert.Equal("/shop/cart", pod.Id);
        Assert.Equal(3, pod.Instances);
        Assert.Equal(0.5 + 0.25 + 0.1, pod.Cpus, 6);
        Assert.Equal(64 + 32 + 32, pod.Mem);
        Assert.Equal(5 + 10, pod.Disk);
        Assert.Equal(["hostname", "UNIQUE"], pod.Constraints.Single());
        Assert.Equal(0.5, pod.UpgradeStrategy.MinimumHealthCapacity);
        Assert.Equal("http", Assert.Single(pod.PortDefinitions).Name);
        Assert.False(pod.RequirePorts);
        Assert.Equal(["server", "sidecar"], pod.Pod!.Containers.Select(c => c.Name));
        Assert.Equal("HTTP", pod.Pod.Containers[0].HealthCheck!.Kind);
        Assert.Equal("/var/log/cart", pod.Pod.Volumes.Single(v => v.Name == "logs").Host);
    }

    [Fact]
    public void An_instance_becomes_a_task_group_of_its_containers()
    {
        var pod = AppReader.ReadPod(Pod()) with { Version = "v1" };
        var instanceId = MarathonKeys.NewInstanceId(pod.Id);
        var instance = new InstanceRecord(instanceId, pod.Id, "agent-1", "h", [31005], [10000], "v1", "c", "t", null, TaskState.TASK_STAGING, null, false, "",
            Res.Parse("cpus:0.85;mem:128;disk:15;ports:[31005-31005]"), "*");

        var tasks = PodTasks.Of(instance, pod);

        Assert.Equal([$"{instanceId}.server", $"{instanceId}.sidecar"], tasks.Select(t => t.TaskId));
        Assert.All(tasks, t => Assert.Equal(instanceId, t.GroupId));
        Assert.Equal(Res.Parse("cpus:0.6;mem:96;disk:10;ports:[31005-31005]"), tasks[0].Resources); // the executor's share goes with the first
        Assert.Equal(Res.Parse("cpus:0.25;mem:32;disk:5"), tasks[1].Resources);
        Assert.Equal("31005", tasks[1].Command!.Environment!["ENDPOINT_HTTP"]);
        Assert.Equal("side", tasks[1].Command!.Environment!["MODE"]);
        Assert.Equal("prod", tasks[0].Command!.Environment!["MODE"]);
        Assert.Equal(31005, tasks[0].HealthCheck!.Port);
        Assert.Equal(new SandboxVolumeSpec(SandboxVolumeSpec.Parent, "volumes/shared", "data"), tasks[0].Volumes![0]);
        Assert.Equal(new SandboxVolumeSpec(SandboxVolumeSpec.Parent, "volumes/shared", "data", "RO"), tasks[1].Volumes![0]);
        Assert.Equal(new SandboxVolumeSpec(SandboxVolumeSpec.Host, "/var/log/cart", "logs"), tasks[1].Volumes![1]);
        Assert.Equal(instanceId, MarathonKeys.InstanceOf(tasks[1].TaskId));
        Assert.Equal("/shop/cart", MarathonKeys.AppIdOf(tasks[1].TaskId));
        Assert.Null(MarathonKeys.InstanceOf(MarathonKeys.NewTaskId("/shop/cart")));
        Assert.Equal("/shop/cart", MarathonKeys.AppIdOf(MarathonKeys.NewTaskId("/shop/cart")));
    }

    [Theory]
    [InlineData("""{"id": "/p", "containers": []}""", "/containers")]
    [InlineData("""{"id": "/p", "containers": [{"name": "Bad_Name", "exec": {"command": {"shell": "x"}}}]}""", "/containers/0/name")]
    [InlineData("""{"id": "/p", "containers": [{"name": "a"}]}""", "/containers/0/exec")]
    [InlineData("""{"id": "/p", "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}, "volumeMounts": [{"name": "nope", "mountPath": "d"}]}]}""", "/containers/0/volumeMounts/0/name")]
    [InlineData("""{"id": "/p", "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}}, {"name": "a", "exec": {"command": {"shell": "y"}}}]}""", "/containers")]
    [InlineData("""{"id": "/p", "networks": [{"mode": "container", "name": "dcos"}], "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}}]}""", "/networks/0/mode")]
    [InlineData("""{"id": "/p", "volumes": [{"name": "db", "persistent": {"size": 0}}], "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}}]}""", "/volumes/0/persistent/size")]
    [InlineData("""{"id": "/p", "volumes": [{"name": "db", "persistent": {"size": 5}}], "scheduling": {"upgrade": {"maximumOverCapacity": 1}}, "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}}]}""", "/scheduling/upgrade")]
    [InlineData("""{"id": "/p", "secrets": {"s": {"source": "x"}}, "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}}]}""", "/secrets")]
    [InlineData("""{"id": "/p", "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}, "endpoints": [{"name": "h", "hostPort": 8080}, {"name": "g"}]}]}""", "/containers")]
    [InlineData("""{"id": "/p", "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}, "healthCheck": {"http": {"endpoint": "none"}}}]}""", "/containers/0/healthCheck/http/endpoint")]
    [InlineData("""{"id": "/p", "scaling": {"kind": "fixed", "instances": -1}, "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}}]}""", "/scaling/instances")]
    [InlineData("""{"id": "/p", "whatever": 1, "containers": [{"name": "a", "exec": {"command": {"shell": "x"}}}]}""", "/whatever")]
    public void A_bad_pod_is_refused_naming_the_field(string json, string path)
    {
        var ex = Assert.Throws<MarathonValidationException>(() => AppReader.ReadPod(JsonNode.Parse(json)));
        Assert.Contains(ex.Details, d => d.Path == path);
    }

    [Fact]
    public void A_pod_with_a_persistent_volume_is_resident_and_its_first_container_holds_the_volume()
    {
        var pod = AppReader.ReadPod(JsonNode.Parse("""
            {"id": "/db", "volumes": [{"name": "data", "persistent": {"size": 10}}],
             "containers": [{"name": "a", "resources": {"cpus": 0.1, "mem": 16}, "exec": {"command": {"shell": "x"}}, "volumeMounts": [{"name": "data", "mountPath": "data"}]},
                            {"name": "b", "resources": {"cpus": 0.1, "mem": 16}, "exec": {"command": {"shell": "y"}}, "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]}
            """));
        var held = OrleansDcos.Scheduling.Resources.Resource.Reserved(OrleansDcos.Scheduling.Resources.Resource.OfScalar("disk", 10), "marathon",
            new OrleansDcos.Scheduling.Resources.Reservation("marathon"), new OrleansDcos.Scheduling.Resources.PersistentVolume("db#data#r1", "data"));
        var instance = new InstanceRecord(MarathonKeys.NewInstanceId("/db"), "/db", "agent", "h", [], [], "v", "c", "t", null, TaskState.TASK_STAGING, null, false, "",
            Res.Parse("cpus:0.3;mem:64;disk:10").Plus(held), "marathon");

        var tasks = PodTasks.Of(instance, pod);

        Assert.True(pod.IsResident());
        Assert.Equal(0, pod.UpgradeStrategy.MaximumOverCapacity);
        Assert.Equal(604800, pod.UnreachableStrategy!.InactiveAfterSeconds);
        Assert.Equal("data", Assert.Single(pod.PersistentVolumes()).ContainerPath);
        Assert.Equal(held, Assert.Single(tasks[0].Resources.Volumes));
        Assert.Empty(tasks[1].Resources.Volumes);
        Assert.Equal(new SandboxVolumeSpec(SandboxVolumeSpec.Persistent, "db#data#r1", "data"), tasks[0].Volumes![0]);
        Assert.Equal(new SandboxVolumeSpec(SandboxVolumeSpec.Persistent, "db#data#r1", "d"), tasks[1].Volumes![0]);
    }
}
