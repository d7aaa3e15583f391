using System.Text.Json;
using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Allocation;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;
using OrleansDcos.Tests.Support;
using Xunit;
using static OrleansDcos.Tests.Unit.Scheduling.SchedulingFixtures;
using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Tests.Unit.Scheduling;

/// <summary>Dynamic reservations and persistent volumes: their text and JSON, the four conversions, the allocator.</summary>
[Trait("Area", "Stateful")]
public sealed class ReservationTests
{
    private readonly ManualTimeProvider _time = new();

    private static Resource Reserved(string text, string role, string principal = "ops", string? volume = null, params (string, string)[] labels) =>
        Resource.Reserved(Assert.Single(Res.Parse(text)), role, new Reservation(principal, labels.Select(l => KeyValuePair.Create(l.Item1, l.Item2))),
            volume is null ? null : new PersistentVolume(volume, "data"));

    [Fact]
    public void Reservations_and_volumes_read_back_from_their_text_with_any_principal_and_label()
    {
        var resources = Res.From([
            Reserved("cpus:2", "db", "marathon, the: (one)", null, ("marathon_task_id", "db.1;x=[y]")),
            Reserved("disk:512", "db", "m", "vol-1"),
            Resource.OfScalar("cpus", 1, "db"),
            Resource.OfScalar("cpus", 4),
        ]);

        var text = resources.ToString();
        var back = Res.Parse(text);

        Assert.Equal(resources, back);
        Assert.Equal(3.0, back.ScalarOf("cpus", "db").ToDouble());
        Assert.Equal("db.1;x=[y]", back.Single(r => r.Reservation?.Labels.Count > 0).Reservation!.Label("marathon_task_id"));
        Assert.Equal("vol-1", Assert.Single(back.Volumes).Volume!.Id);
        Assert.Contains("disk(db,dynamic=m)[id=vol-1,path=data,mode=RW]:512", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpus(*,dynamic=x):1", "needs a role")]
    [InlineData("cpus(db,other=x):1", "expected dynamic")]
    [InlineData("cpus(db)[id=v,path=data]:1", "made of disk")]
    [InlineData("disk(db)[id=v]:1", "needs id= and path=")]
    [InlineData("disk(db)[id=v,path=/abs]:1", "relative path")]
    [InlineData("disk(db)[id=v,path=a/../../b]:1", "relative path")]
    [InlineData("disk(db)[id=a%2Fb,path=x]:1", "persistence id")]
    [InlineData("disk(db)[id=v,path=x,mode=RX]:1", "RW or RO")]
    [InlineData("disk(db)[id=v,path=x]:1;disk(db)[id=v,path=x]:2", "twice")]
    public void Malformed_reservations_and_volumes_are_refused_with_the_reason(string text, string reason)
    {
        var ex = Assert.Throws<ResourceParseException>(() => Res.Parse(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mesos_json_of_dynamic_reservations_and_volumes_round_trips()
    {
        var resources = Res.From([
            Reserved("cpus:0.5", "db", "marathon", null, ("marathon_framework_id", "fw-1")),
            Reserved("disk:64", "db", "marathon", "db.data"),
            Resource.OfScalar("mem", 128, "web"),
        ]);

        var json = MesosResourceJson.ToJson(resources).ToJsonString();
        using var document = JsonDocument.Parse(json);
        var back = MesosResourceJson.FromJson(document.RootElement.EnumerateArray(), "resources");

        Assert.Equal(resources, back);
        Assert.Contains("\"type\":\"DYNAMIC\"", json, StringComparison.Ordinal);
        Assert.Contains("\"persistence\":{\"id\":\"db.data\"", json, StringComparison.Ordinal);
        Assert.Contains("\"container_path\":\"data\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Mesos_pre_1_4_reservation_json_is_read()
    {
        using var document = JsonDocument.Parse("""
            [{"name":"cpus","type":"SCALAR","scalar":{"value":1},"role":"db","reservation":{"principal":"p","labels":{"labels":[{"key":"k","value":"v"}]}}}]
            """);

        var resource = Assert.Single(MesosResourceJson.FromJson(document.RootElement.EnumerateArray(), "r"));

        Assert.Equal("db", resource.Role);
        Assert.Equal("p", resource.Reservation!.Principal);
        Assert.Equal("v", resource.Reservation.Label("k"));
    }

    [Fact]
    public void Reserve_create_destroy_unreserve_convert_and_come_back_to_where_they_started()
    {
        var agent = Res.Parse("cpus:4;mem:1024;disk:1000");
        var cpus = Reserved("cpus:1", "db");
        var disk = Reserved("disk:100", "db");
        var volume = Reserved("disk:100", "db", volume: "v1");

        var reserved = new ResourceOperation(ResourceOperation.Reserve, Res.From([cpus, disk])).Apply(agent);
        var created = new ResourceOperation(ResourceOperation.Create, Res.From([volume])).Apply(reserved);
        var destroyed = new ResourceOperation(ResourceOperation.Destroy, Res.From([volume])).Apply(created);
        var unreserved = new ResourceOperation(ResourceOperation.Unreserve, Res.From([cpus, disk])).Apply(destroyed);

        Assert.Equal(Res.Parse("cpus:3;mem:1024;disk:900").Plus(cpus).Plus(disk), reserved);
        Assert.Equal(Res.Parse("cpus:3;mem:1024;disk:900").Plus(cpus).Plus(volume), created);
        Assert.Equal(reserved, destroyed);
        Assert.Equal(agent, unreserved);
    }

    [Fact]
    public void Conversions_refuse_what_is_not_there_or_not_theirs()
    {
        var agent = Res.Parse("cpus:1;disk:100");
        var volume = Reserved("disk:100", "db", volume: "v1");
        var withVolume = new ResourceOperation(ResourceOperation.Create, Res.From([volume]))
            .Apply(new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("disk:100", "db")])).Apply(agent));

        Assert.Contains("not there", Assert.Throws<ResourceOperationException>(() =>
            new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("cpus:2", "db")])).Apply(agent)).Message, StringComparison.Ordinal);
        Assert.Contains("not dynamically reserved", Assert.Throws<ResourceOperationException>(() =>
            new ResourceOperation(ResourceOperation.Reserve, Res.Parse("cpus(db):1")).Apply(agent)).Message, StringComparison.Ordinal);
        Assert.Contains("DESTROY it first", Assert.Throws<ResourceOperationException>(() =>
            new ResourceOperation(ResourceOperation.Unreserve, Res.From([volume])).Apply(withVolume)).Message, StringComparison.Ordinal);
        Assert.Contains("not a persistent volume", Assert.Throws<ResourceOperationException>(() =>
            new ResourceOperation(ResourceOperation.Create, Res.From([Reserved("disk:100", "db")])).Apply(agent)).Message, StringComparison.Ordinal);
        Assert.Contains("not there", Assert.Throws<ResourceOperationException>(() =>
            new ResourceOperation(ResourceOperation.Destroy, Res.From([Reserved("disk:100", "db", volume: "v2")])).Apply(withVolume)).Message, StringComparison.Ordinal);
        Assert.Contains("not there", Assert.Throws<ResourceOperationException>(() =>
            new ResourceOperation(ResourceOperation.Create, Res.From([Reserved("disk:50", "db", volume: "v1")])).Apply(withVolume)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_volume_is_held_only_whole()
    {
        var volume = Res.From([Reserved("disk:100", "db", volume: "v1")]);
        var half = Res.From([Reserved("disk:50", "db", volume: "v1")]);

        Assert.False(volume.Contains(half));
        Assert.True(volume.Contains(volume));
        Assert.Equal(Res.Empty, volume.Minus(volume));
    }

    [Fact]
    public void Reserved_resources_are_offered_only_to_their_role_and_follow_the_agent()
    {
        var allocator = new Allocator(new AllocatorOptions(), _time, new Random(1));
        allocator.AddAgent(Agent(0), Res.Parse("cpus:4;mem:4096"));
        allocator.AddFramework("db-fw", ["db"]);
        var offer = Assert.Single(allocator.Allocate());
        var reserved = Res.From([Reserved("cpus:1", "db"), Reserved("mem:512", "db")]);

        var converted = Assert.Single(allocator.Convert([offer.OfferId], [new ResourceOperation(ResourceOperation.Reserve, reserved)]));
        allocator.Decline(converted.OfferId, TimeSpan.Zero);
        allocator.AddFramework("web-fw", ["web"]);
        allocator.Suppress("db-fw");
        var toWeb = Assert.Single(allocator.Allocate());

        Assert.True(converted.Resources.Contains(reserved));
        Assert.Equal("web-fw", toWeb.FrameworkId);
        Assert.Equal(Res.Parse("cpus:3;mem:3584"), toWeb.Resources);
        Assert.Equal(Res.Parse("cpus:3;mem:3584").Plus(reserved), allocator.DescribeAgent("agent-0").Total);

        allocator.Decline(toWeb.OfferId, TimeSpan.FromHours(1));
        allocator.Revive("db-fw");
        Assert.Equal(reserved, Assert.Single(allocator.Allocate()).Resources.Dynamic);
    }

    [Fact]
    public void A_failed_conversion_changes_nothing()
    {
        var allocator = new Allocator(new AllocatorOptions(), _time, new Random(1));
        allocator.AddAgent(Agent(0), Res.Parse("cpus:4;mem:4096"));
        allocator.AddFramework("db-fw", ["db"]);
        var offer = Assert.Single(allocator.Allocate());

        Assert.Throws<ResourceOperationException>(() => allocator.Convert([offer.OfferId], [
            new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("cpus:1", "db")])),
            new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("cpus:8", "db")])),
        ]));

        Assert.Equal(offer, allocator.FindOffer(offer.OfferId));
        Assert.Equal(Res.Parse("cpus:4;mem:4096"), allocator.DescribeAgent("agent-0").Total);
    }

    [Fact]
    public void An_operator_reservation_rescinds_offers_only_when_the_free_part_is_short()
    {
        var allocator = new Allocator(new AllocatorOptions(), _time, new Random(1));
        allocator.AddAgent(Agent(0), Res.Parse("cpus:4;mem:4096"));
        allocator.AddFramework("fw", ["*"]);
        var offer = Assert.Single(allocator.Allocate());
        allocator.Accept(offer.OfferId, Res.Parse("cpus:1;mem:1024"), TimeSpan.Zero);

        var untouched = allocator.ConvertUnallocated("agent-0", [new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("cpus:1", "db")]))]);
        var again = Assert.Single(allocator.Allocate());
        var rescinded = allocator.ConvertUnallocated("agent-0", [new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("cpus:2", "db")]))]);

        Assert.Empty(untouched);
        Assert.Equal(again.OfferId, Assert.Single(rescinded).OfferId);
        Assert.Throws<ResourceOperationException>(() => allocator.ConvertUnallocated("agent-0",
            [new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("cpus:1", "db")]))]));
        var agent = allocator.DescribeAgent("agent-0");
        Assert.Equal(agent.Total, agent.Free.Plus(agent.Offered).Plus(agent.Used));
        Assert.Equal(3.0, agent.Total.ScalarOf("cpus", "db").ToDouble());
    }

    [Fact]
    public void Reservations_count_against_the_role_quota_limit_even_unallocated()
    {
        var allocator = new Allocator(new AllocatorOptions(), _time, new Random(1));
        allocator.AddAgent(Agent(0), Res.Parse("cpus:8;mem:8192"));
        allocator.ConvertUnallocated("agent-0", [new ResourceOperation(ResourceOperation.Reserve, Res.From([Reserved("cpus:2", "db"), Reserved("mem:512", "db")]))]);
        allocator.SetQuota("db", new RoleQuota(Res.Empty, Res.Parse("cpus:3;mem:8192")));
        allocator.AddFramework("db-fw", ["db"]);

        var offer = Assert.Single(allocator.Allocate());

        Assert.Equal(3.0, offer.Resources.ScalarTotal("cpus").ToDouble());
        Assert.Equal(2.0, offer.Resources.ScalarOf("cpus", "db").ToDouble());
    }

    [Fact]
    public void Checkpointed_reservations_and_volumes_are_laid_over_what_the_daemon_reports()
    {
        var volume = Reserved("disk:100", "db", volume: "v1");
        var staticVolume = Resource.Reserved(Assert.Single(Res.Parse("disk(web):10")), "web", null, new PersistentVolume("w1", "data"));
        var checkpointed = Res.From([Reserved("cpus:1", "db"), volume, staticVolume, Reserved("mem:9000", "db")]);

        var (total, missing) = CheckpointedResources.Apply(Res.Parse("cpus:4;mem:1024;disk:1000;disk(web):50"), checkpointed);

        Assert.Equal(Res.Parse("cpus:3;mem:1024;disk:900;disk(web):40").Plus(Reserved("cpus:1", "db")).Plus(volume).Plus(staticVolume), total);
        Assert.Equal(Res.From([Reserved("mem:9000", "db")]), missing);
    }

    [Fact]
    public void A_resident_instance_reserves_what_was_placed_and_carves_its_volumes_out_of_the_disk()
    {
        var reservation = new Reservation("marathon", [KeyValuePair.Create("marathon_reservation_id", "r1")]);
        var placed = Res.Parse("cpus:0.5;mem:64;disk:30;ports:[31000-31000]");

        var (reserve, create, task) = ResidentResources.Of(placed, "marathon", reservation,
            [new ResidentResources.VolumeRequest("app#data#r1", "data", 10), new ResidentResources.VolumeRequest("app#logs#r1", "logs", 5)]);
        var afterReserve = new ResourceOperation(ResourceOperation.Reserve, reserve).Apply(placed);
        var afterCreate = new ResourceOperation(ResourceOperation.Create, create).Apply(afterReserve);
        var (destroy, unreserve) = ResidentResources.Release(task);
        var released = new ResourceOperation(ResourceOperation.Unreserve, unreserve).Apply(new ResourceOperation(ResourceOperation.Destroy, destroy).Apply(afterCreate));

        Assert.Equal(afterCreate, task);
        Assert.Equal(2, task.Volumes.Count());
        Assert.Equal(15.0, task.ScalarOf("disk", "marathon").ToDouble() - task.Volumes.Sum(v => v.Scalar.ToDouble()));
        Assert.Equal(placed, released);
        Assert.Throws<ArgumentException>(() => ResidentResources.Of(Res.Parse("cpus:1;disk:4"), "marathon", reservation, [new ResidentResources.VolumeRequest("v", "data", 10)]));
    }
}
