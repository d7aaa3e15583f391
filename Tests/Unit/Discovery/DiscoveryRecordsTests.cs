using OrleansDcos.Scheduling.Discovery;
using Xunit;

namespace OrleansDcos.Tests.Unit.Discovery;

/// <summary>The records of tasks and of the cluster, kept by owner, and the answers given from them.</summary>
[Trait("Area", "Discovery")]
public sealed class DiscoveryRecordsTests
{
    private static readonly DnsZone Zone = new();

    private static DiscoveryTask Web(string id, string agent, string ip, params DiscoveryPort[] ports) =>
        new(id, "web.prod", "marathon", agent, ip, ports);

    [Fact]
    public void A_task_is_found_by_its_name_its_canonical_name_and_its_agent()
    {
        var task = Web("prod_web.1", "agent-0001-S3", "127.0.0.2", new DiscoveryPort(31001), new DiscoveryPort(31002, "http", "tcp"));
        var hash = TaskHash.Of("prod_web.1");

        var records = DiscoveryRecords.ForTask(task, Zone);

        var canonical = $"web-prod-{hash}-s3";
        Assert.Contains(DnsRecord.A("web-prod.marathon.mesos.", "127.0.0.2"), records);
        Assert.Contains(DnsRecord.A($"{canonical}.marathon.mesos.", "127.0.0.2"), records);
        Assert.Contains(DnsRecord.A("web-prod.marathon.slave.mesos.", "127.0.0.2"), records);
        Assert.Contains(DnsRecord.A($"{canonical}.marathon.slave.mesos.", "127.0.0.2"), records);
        foreach (var srv in new[] { "_web-prod._tcp.marathon.mesos.", "_web-prod._udp.marathon.mesos.", "_web-prod._tcp.marathon.slave.mesos." })
        {
            Assert.Contains(DnsRecord.Srv(srv, $"{canonical}.marathon.slave.mesos.", 31001), records);
            Assert.Contains(DnsRecord.Srv(srv, $"{canonical}.marathon.slave.mesos.", 31002), records);
        }

        // The named port, on its protocol only.
        Assert.Contains(DnsRecord.Srv("_http._web-prod._tcp.marathon.mesos.", $"{canonical}.marathon.mesos.", 31002), records);
        Assert.DoesNotContain(records, r => r.Name == "_http._web-prod._udp.marathon.mesos.");
        Assert.All(records, r => Assert.All(r.Name.TrimEnd('.').Split('.'), label => Assert.InRange(label.Length, 1, 63)));
    }

    [Fact]
    public void A_task_with_its_own_address_answers_with_it_and_its_agent_under_slave()
    {
        var task = Web("t1", "a-S1", "127.0.0.2") with { TaskIp = "10.200.0.5" };

        var records = DiscoveryRecords.ForTask(task, Zone);

        Assert.Contains(DnsRecord.A("web-prod.marathon.mesos.", "10.200.0.5"), records);
        Assert.Contains(DnsRecord.A("web-prod.marathon.slave.mesos.", "127.0.0.2"), records);
    }

    [Fact]
    public void A_task_whose_name_leaves_no_label_publishes_nothing()
    {
        Assert.Empty(DiscoveryRecords.ForTask(new DiscoveryTask("t", "!!!", "marathon", "a", "127.0.0.2", []), Zone));
        Assert.Empty(DiscoveryRecords.ForTask(new DiscoveryTask("t", "web", "...", "a", "127.0.0.2", []), Zone));
    }

    [Fact]
    public void The_cluster_names_its_leader_masters_agents_and_name_server()
    {
        var records = DiscoveryRecords.ForCluster(Zone, [("127.0.0.2", 5050), ("127.0.0.3", 5050)], leader: 1, [("127.0.0.4", 5051), ("127.0.0.5", 5051)], "127.0.0.1");

        Assert.Contains(DnsRecord.A("leader.mesos.", "127.0.0.3"), records);
        Assert.Contains(DnsRecord.Srv("_leader._tcp.mesos.", "leader.mesos.", 5050), records);
        Assert.Contains(DnsRecord.Srv("_leader._udp.mesos.", "leader.mesos.", 5050), records);
        Assert.Equal(["127.0.0.2", "127.0.0.3"], records.Where(r => r.Name == "master.mesos.").Select(r => r.Host));
        Assert.Contains(DnsRecord.A("master0.mesos.", "127.0.0.2"), records);
        Assert.Contains(DnsRecord.A("master1.mesos.", "127.0.0.3"), records);
        Assert.Equal(["127.0.0.4", "127.0.0.5"], records.Where(r => r.Name == "slave.mesos.").Select(r => r.Host));
        Assert.Contains(DnsRecord.Srv("_slave._tcp.mesos.", "slave.mesos.", 5051), records);
        Assert.Contains(DnsRecord.A("ns1.mesos.", "127.0.0.1"), records);
    }

    [Fact]
    public void A_record_two_tasks_publish_stays_until_both_are_gone()
    {
        var set = new DnsRecordSet();
        set.Set("t1", DiscoveryRecords.ForTask(Web("t1", "a-S1", "127.0.0.2", new DiscoveryPort(31000)), Zone));
        set.Set("t2", DiscoveryRecords.ForTask(Web("t2", "a-S1", "127.0.0.2", new DiscoveryPort(31001)), Zone));

        Assert.Equal(["127.0.0.2"], set.Lookup("web-prod.marathon.mesos.", DnsRecordType.A).Select(r => r.Host));
        Assert.Equal(2, set.Lookup("_web-prod._tcp.marathon.mesos.", DnsRecordType.Srv).Count);

        set.Remove("t1");
        Assert.Equal(["127.0.0.2"], set.Lookup("web-prod.marathon.mesos.", DnsRecordType.A).Select(r => r.Host));
        Assert.Equal([31001], set.Lookup("_web-prod._tcp.marathon.mesos.", DnsRecordType.Srv).Select(r => r.Port));

        set.Remove("t2");
        Assert.False(set.Exists("web-prod.marathon.mesos."));
        Assert.Equal(0, set.Names);
        Assert.Equal(0, set.Owners);
    }

    [Fact]
    public void Replacing_an_owners_records_leaves_no_trace_of_the_old_ones()
    {
        var set = new DnsRecordSet();
        set.Set("t1", DiscoveryRecords.ForTask(Web("t1", "a-S1", "127.0.0.2", new DiscoveryPort(31000)), Zone));

        set.Set("t1", DiscoveryRecords.ForTask(Web("t1", "a-S2", "127.0.0.9", new DiscoveryPort(31005)), Zone));

        Assert.Equal(["127.0.0.9"], set.Lookup("web-prod.marathon.mesos.", DnsRecordType.A).Select(r => r.Host));
        Assert.Equal([31005], set.Lookup("_web-prod._tcp.marathon.mesos.", DnsRecordType.Srv).Select(r => r.Port));
        Assert.Equal(DiscoveryRecords.ForTask(Web("t1", "a-S2", "127.0.0.9", new DiscoveryPort(31005)), Zone).Count, set.All().Count());
    }

    [Fact]
    public void Several_tasks_of_one_name_answer_in_varying_order()
    {
        var set = new DnsRecordSet();
        for (var i = 0; i < 5; i++)
        {
            set.Set($"t{i}", DiscoveryRecords.ForTask(Web($"t{i}", $"a-S{i}", $"127.0.0.{i + 2}"), Zone));
        }

        var random = new Random(3);
        var firsts = Enumerable.Range(0, 50).Select(_ => DnsAnswers.Answer(set, Zone, "WEB-PROD.marathon.mesos", DnsQuestionType.A, random).Records[0].Host).ToHashSet();

        var answer = DnsAnswers.Answer(set, Zone, "web-prod.marathon.mesos.", DnsQuestionType.A, random);
        Assert.Equal(DnsAnswerKind.Answer, answer.Kind);
        Assert.Equal(5, answer.Records.Count);
        Assert.True(firsts.Count > 1, "the first record never changed");
    }

    [Fact]
    public void An_srv_answer_carries_its_targets_addresses()
    {
        var set = new DnsRecordSet();
        set.Set("t1", DiscoveryRecords.ForTask(Web("t1", "a-S1", "127.0.0.2", new DiscoveryPort(31000)), Zone));

        var answer = DnsAnswers.Answer(set, Zone, "_web-prod._tcp.marathon.mesos.", DnsQuestionType.Srv, new Random(1));

        var srv = Assert.Single(answer.Records);
        Assert.Equal(31000, srv.Port);
        Assert.Equal([DnsRecord.A(srv.Host, "127.0.0.2")], answer.Additional);
    }

    [Fact]
    public void A_name_of_thousands_of_tasks_answers_as_many_as_a_message_holds()
    {
        var set = new DnsRecordSet();
        for (var i = 0; i < 2_000; i++)
        {
            set.Set($"t{i}", DiscoveryRecords.ForTask(Web($"t{i}", $"a-S{i}", $"127.0.{i / 250}.{(i % 250) + 2}", new DiscoveryPort(31000)), Zone));
        }

        var srv = DnsAnswers.Answer(set, Zone, "_web-prod._tcp.marathon.mesos.", DnsQuestionType.Srv, new Random(5));
        var a = DnsAnswers.Answer(set, Zone, "web-prod.marathon.mesos.", DnsQuestionType.A, new Random(5));

        // 2,000 SRV records with their targets' addresses would be ~250 KB: the additional records go, then SRV
        // records, until the rest fits a 64 KB message (sizes counted without compression, so it surely does).
        Assert.True(srv.Truncated);
        Assert.Empty(srv.Additional);
        Assert.InRange(srv.Records.Sum(DnsAnswers.WireSize), DnsAnswers.MaxMessageRecordBytes - 200, DnsAnswers.MaxMessageRecordBytes);
        Assert.InRange(srv.Records.Count, 500, 1_999);
        Assert.True(a.Truncated);
        Assert.InRange(a.Records.Count, 1_000, 1_999);

        // A random part each time: the tasks left out of one answer are in others.
        var other = DnsAnswers.Answer(set, Zone, "_web-prod._tcp.marathon.mesos.", DnsQuestionType.Srv, new Random(6));
        Assert.NotEqual(srv.Records.Select(r => r.Host).ToHashSet(), other.Records.Select(r => r.Host).ToHashSet());

        // An answer that fits is left whole.
        var small = DnsAnswers.Answer(set, Zone, "web-prod-" + TaskHash.Of("t7") + "-" + DiscoveryRecords.AgentTail("a-S7") + ".marathon.mesos.", DnsQuestionType.A, new Random(5));
        Assert.Single(small.Records);
        Assert.False(small.Truncated);
    }

    [Fact]
    public void Unknown_names_in_the_domain_are_nxdomain_and_others_are_not_ours()
    {
        var set = new DnsRecordSet();
        set.Set("t1", DiscoveryRecords.ForTask(Web("t1", "a-S1", "127.0.0.2"), Zone));
        var random = new Random(1);

        var missing = DnsAnswers.Answer(set, Zone, "nothing.marathon.mesos.", DnsQuestionType.A, random);
        Assert.Equal(DnsAnswerKind.NameError, missing.Kind);
        Assert.True(missing.AuthoritySoa);

        var noData = DnsAnswers.Answer(set, Zone, "web-prod.marathon.mesos.", DnsQuestionType.Other, random);
        Assert.Equal(DnsAnswerKind.Answer, noData.Kind);
        Assert.Empty(noData.Records);
        Assert.True(noData.AuthoritySoa);

        Assert.Equal(DnsAnswerKind.NotInZone, DnsAnswers.Answer(set, Zone, "example.org.", DnsQuestionType.A, random).Kind);
        Assert.Equal(DnsAnswerKind.NotInZone, DnsAnswers.Answer(set, Zone, "notmesos.", DnsQuestionType.A, random).Kind);

        var soa = DnsAnswers.Answer(set, Zone, "MESOS.", DnsQuestionType.Soa, random);
        Assert.True(soa.Soa);
        Assert.False(soa.AuthoritySoa);
        Assert.True(DnsAnswers.Answer(set, Zone, "mesos", DnsQuestionType.Ns, random).Ns);
    }

    [Theory]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_RUNNING, null, false, true)]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_RUNNING, true, false, true)]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_RUNNING, false, false, false)]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_RUNNING, null, true, false)]   // health-checked, no check passed yet
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_RUNNING, true, true, true)]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_RUNNING, false, true, false)]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_STAGING, null, false, false)]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_KILLING, true, true, false)]
    [InlineData(OrleansDcos.Mesos.TaskState.TASK_FINISHED, null, false, false)]
    public void Only_running_tasks_are_listed_and_health_checked_ones_once_healthy(OrleansDcos.Mesos.TaskState state, bool? healthy, bool healthChecked, bool listed) =>
        Assert.Equal(listed, DiscoveryRules.Listed(state, healthy, healthChecked));

    [Fact]
    public void A_zone_names_what_is_wrong_with_its_settings()
    {
        Assert.Empty(Zone.Problems());
        Assert.Empty((Zone with { Domain = "dcos.example" }).Problems());
        Assert.Contains((Zone with { Domain = "bad_domain" }).Problems(), p => p.Contains("domain", StringComparison.Ordinal));
        Assert.Contains((Zone with { Domain = "a..b" }).Problems(), p => p.Contains("domain", StringComparison.Ordinal));
        Assert.Contains((Zone with { Ttl = -1 }).Problems(), p => p.Contains("TTL", StringComparison.Ordinal));
        Assert.Equal("web.marathon.dcos.example.", (Zone with { Domain = "DCOS.example." }).Name("web.marathon"));
    }
}
