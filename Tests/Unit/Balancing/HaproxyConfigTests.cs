using OrleansDcos.Mesos;
using OrleansDcos.Scheduling.Balancing;
using Xunit;
using static OrleansDcos.Tests.Support.Balancing.BalancedApps;

namespace OrleansDcos.Tests.Unit.Balancing;

/// <summary>The HAProxy configuration generated from Marathon's apps, as marathon-lb writes it.</summary>
[Trait("Area", "Discovery")]
public sealed class HaproxyConfigTests
{
    private static readonly HaproxyOptions Options = new(BindAddress: "127.0.0.1", HttpPort: 18080, StatsPort: 19090);

    [Fact]
    public void A_service_port_gets_a_frontend_on_it_and_a_backend_of_the_serving_tasks()
    {
        var app = App("/prod/web", [10000], null, null,
            Task("t1", "127.0.0.2", 31001),
            Task("t2", "127.0.0.3", 31002) with { State = TaskState.TASK_STAGING },
            Task("t3", "127.0.0.4", 31003) with { Killing = true },
            Task("t4", "127.0.0.5", 31004) with { Healthy = false },
            Task("t5", "127.0.0.6", 31005) with { State = TaskState.TASK_KILLING });
        var config = HaproxyConfig.Render([app], Options);

        Assert.Empty(config.Warnings);
        Assert.Contains("\nfrontend prod_web_10000\n  bind 127.0.0.1:10000\n  mode tcp\n  default_backend prod_web_10000\n", config.Text);
        Assert.Contains("\nbackend prod_web_10000\n  balance roundrobin\n  mode tcp\n  server 127.0.0.2_31001 127.0.0.2:31001\n", config.Text);
        Assert.Single(Servers(config.Text));
        Assert.DoesNotContain(HaproxyConfig.HttpFrontend, config.Text);
    }

    [Fact]
    public void Health_checked_apps_serve_only_healthy_tasks_and_HAProxy_repeats_the_check()
    {
        var app = App("/web", [10000], null, [HttpCheck("/health")],
            Task("t1", "127.0.0.2", 31001) with { Healthy = true },
            Task("t2", "127.0.0.3", 31002));
        var text = HaproxyConfig.Render([app], Options).Text;

        Assert.Contains("  mode http\n  option forwardfor\n", text);
        Assert.Contains("  option httpchk GET /health\n  timeout check 1000ms\n", text);
        Assert.Equal(["server 127.0.0.2_31001 127.0.0.2:31001 check inter 2000ms fall 4"], Servers(text));
    }

    [Fact]
    public void Only_the_load_balancers_group_is_served_and_a_port_may_name_its_own()
    {
        var apps = new[]
        {
            App("/a", [10001]),
            App("/b", [10002], new Dictionary<string, string> { ["HAPROXY_GROUP"] = "internal,external" }),
            App("/c", [10003], new Dictionary<string, string> { ["HAPROXY_GROUP"] = "internal" }),
            App("/d", [10004, 10005], new Dictionary<string, string> { ["HAPROXY_GROUP"] = "internal", ["HAPROXY_1_GROUP"] = "external" }),
            App("/e", [10006], new Dictionary<string, string>()),
        };

        Assert.Equal(["a_10001", "b_10002", "d_10005"], Frontends(HaproxyConfig.Render(apps, Options).Text));
        Assert.Equal(["b_10002", "c_10003", "d_10004"], Frontends(HaproxyConfig.Render(apps, Options with { Group = "internal" }).Text));
        Assert.Equal(["a_10001", "b_10002", "c_10003", "d_10004", "d_10005", "e_10006"], Frontends(HaproxyConfig.Render(apps, Options with { Group = "*" }).Text));
    }

    [Fact]
    public void Virtual_hosts_share_the_HTTP_frontend_paths_first()
    {
        var apps = new[]
        {
            App("/web", [10000], Labels(("HAPROXY_0_VHOST", "Web.Example.com, www.example.com"))),
            App("/api", [10001], Labels(("HAPROXY_0_VHOST", "web.example.com"), ("HAPROXY_0_PATH", "/api"))),
        };
        var text = HaproxyConfig.Render(apps, Options).Text;

        Assert.Contains(
            "\nfrontend marathon_http_in\n  bind 127.0.0.1:18080\n  mode http\n" +
            "  acl host_web.example.com req.hdr(host),field(1,:) -i web.example.com\n" +
            "  acl host_www.example.com req.hdr(host),field(1,:) -i www.example.com\n" +
            "  acl path_api_10001 path_beg /api\n" +
            "  use_backend api_10001 if host_web.example.com path_api_10001\n" +
            "  use_backend web_10000 if host_web.example.com\n" +
            "  use_backend web_10000 if host_www.example.com\n",
            text);
        Assert.Contains("\nfrontend web_10000\n  bind 127.0.0.1:10000\n  mode http\n", text); // the service port still answers
    }

    [Fact]
    public void Sticky_balance_bind_address_and_port_labels_are_honoured()
    {
        var app = App("/shop", [10000], Labels(("HAPROXY_0_STICKY", "true"), ("HAPROXY_0_MODE", "http"), ("HAPROXY_0_BALANCE", "leastconn"), ("HAPROXY_0_BIND_ADDR", "127.0.0.9"), ("HAPROXY_0_PORT", "10500")), null,
            Task("t1", "127.0.0.2", 31001));
        var text = HaproxyConfig.Render([app], Options).Text;

        Assert.Contains("\nfrontend shop_10000\n  bind 127.0.0.9:10500\n  mode http\n", text);
        Assert.Contains("  balance leastconn\n", text);
        Assert.Contains("  cookie mesosphere_server_id insert indirect nocache\n", text);
        Assert.Equal(["server 127.0.0.2_31001 127.0.0.2:31001 cookie 127.0.0.2_31001"], Servers(text));
    }

    [Theory]
    [InlineData("HAPROXY_0_VHOST", "web.example.com\n  bind *:22")]
    [InlineData("HAPROXY_0_VHOST", "bad host")]
    [InlineData("HAPROXY_0_PATH", "/a b")]
    [InlineData("HAPROXY_0_PATH", "no-slash")]
    [InlineData("HAPROXY_0_MODE", "udp")]
    [InlineData("HAPROXY_0_BALANCE", "roundrobin\nserver x 1.2.3.4:1")]
    [InlineData("HAPROXY_0_BIND_ADDR", "0.0.0.0:80")]
    [InlineData("HAPROXY_0_PORT", "70000")]
    [InlineData("HAPROXY_0_PORT", "-1")]
    public void A_bad_label_value_leaves_its_port_out_with_a_warning_naming_it(string label, string value)
    {
        var app = App("/web", [10000], Labels((label, value), ("HAPROXY_0_MODE", label == "HAPROXY_0_MODE" ? value : "http")), null, Task("t1", "127.0.0.2", 31001));
        var config = HaproxyConfig.Render([app, App("/ok", [10001])], Options);

        Assert.Equal(["ok_10001"], Frontends(config.Text));
        Assert.Contains(label, Assert.Single(config.Warnings), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", Assert.Single(config.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_port_taken_twice_is_balanced_once_and_warned_about()
    {
        var apps = new[] { App("/a", [10000]), App("/b", [10000]), App("/c", [18080]) };
        var config = HaproxyConfig.Render(apps, Options);

        Assert.Equal(["a_10000"], Frontends(config.Text));
        Assert.Equal(2, config.Warnings.Count);
        Assert.Contains("/b", config.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("the HTTP frontend", config.Warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Udp_ports_disabled_ports_and_tasks_without_the_port_are_left_out()
    {
        var app = new BalancedApp("/dns", Labels(("HAPROXY_1_ENABLED", "false")), [new BalancedPort(10053, "udp"), new BalancedPort(10054), new BalancedPort(10055, "udp,tcp")], [],
            [Task("t1", "127.0.0.2", 31001, 31002, 31003), Task("t2", "127.0.0.3", 31004)]);
        var text = HaproxyConfig.Render([app], Options).Text;

        Assert.Equal(["dns_10055"], Frontends(text));
        Assert.Equal(["server 127.0.0.2_31003 127.0.0.2:31003"], Servers(text));
    }

    [Fact]
    public void A_health_check_path_that_is_not_plain_is_not_repeated()
    {
        var config = HaproxyConfig.Render([App("/web", [10000], null, [HttpCheck("/x y\nz")], Task("t1", "127.0.0.2", 31001) with { Healthy = true })], Options);

        Assert.DoesNotContain("httpchk", config.Text, StringComparison.Ordinal);
        Assert.Contains("health check", Assert.Single(config.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_cluster_renders_the_same_text_whatever_the_order()
    {
        var a = App("/a", [10000], null, null, Task("t1", "127.0.0.3", 31001), Task("t2", "127.0.0.2", 31002));
        var b = App("/b", [10001], null, null, Task("t3", "127.0.0.2", 31003));
        var first = HaproxyConfig.Render([a, b], Options).Text;
        var second = HaproxyConfig.Render([b, a with { Tasks = a.Tasks.Reverse().ToList() }], Options).Text;

        Assert.Equal(first, second);
    }

    [Fact]
    public void The_runtime_socket_hands_listeners_over_and_the_stats_page_answers_health()
    {
        var text = HaproxyConfig.Render([], Options with { RuntimeSocket = "/run/lb.sock" }).Text;

        Assert.Contains("  stats socket /run/lb.sock mode 600 level admin expose-fd listeners\n", text);
        Assert.Contains("\nlisten stats\n  bind 127.0.0.1:19090\n", text);
        Assert.Contains("  monitor-uri /_haproxy_health_check\n", text);
    }

    private static List<string> Frontends(string text) =>
        text.Split('\n').Where(l => l.StartsWith("frontend ", StringComparison.Ordinal) && l != "frontend " + HaproxyConfig.HttpFrontend).Select(l => l[9..]).ToList();

    private static List<string> Servers(string text) =>
        text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("server ", StringComparison.Ordinal)).ToList();
}
