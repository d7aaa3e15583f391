using OrleansDcos.Scheduling.Discovery;
using Xunit;

namespace OrleansDcos.Tests.Unit.Discovery;

/// <summary>Names become DNS labels as Mesos-DNS makes them (RFC 1123 rules), and tasks hash as it hashes them.</summary>
[Trait("Area", "Discovery")]
public sealed class DnsLabelTests
{
    [Theory]
    [InlineData("web", "web")]
    [InlineData("web.prod", "web-prod")]                 // Marathon's task name of /prod/web
    [InlineData("Web_Server.v2", "web-server-v2")]
    [InlineData("--edge--", "edge")]
    [InlineData("a!b@c#d", "abcd")]
    [InlineData("ünïcode-app", "ncode-app")]
    [InlineData("_", "")]
    [InlineData("", "")]
    [InlineData("9lives", "9lives")]
    public void A_name_becomes_a_label(string name, string label) => Assert.Equal(label, DnsLabel.Of(name));

    [Fact]
    public void A_label_is_at_most_63_characters_and_never_ends_with_a_dash()
    {
        var label = DnsLabel.Of(new string('a', 62) + "-b" + new string('c', 10));

        Assert.Equal(new string('a', 62), label);
        Assert.Equal(63, DnsLabel.Of(new string('x', 100)).Length);
    }

    [Theory]
    [InlineData("marathon", "marathon")]
    [InlineData("my.Frame_work", "my.frame-work")]
    [InlineData("a..b.", "a.b")]
    [InlineData("!!!", "")]
    public void A_framework_name_keeps_its_dots_as_labels(string name, string fragment) => Assert.Equal(fragment, DnsLabel.Fragment(name));

    [Fact]
    public void Every_label_made_is_valid_whatever_the_name()
    {
        var random = new Random(7);
        const string alphabet = "abcXYZ019-._!@ é/";
        for (var i = 0; i < 2_000; i++)
        {
            var name = new string([.. Enumerable.Range(0, random.Next(0, 90)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var label = DnsLabel.Of(name);
            Assert.True(label.Length <= 63, name);
            Assert.Matches("^([a-z0-9]([a-z0-9-]*[a-z0-9])?)?$", label);
        }
    }

    [Theory]
    [InlineData("liquor-store.b8db9f73-562f-11e4-a088-c20493233aa5", "4dfjd")]   // Mesos-DNS' own test data
    [InlineData("nginx.e4a9e0a7-5a6c-11e5-b0e5-7e5d89c1dc2d", "byk8u")]
    public void A_task_id_hashes_to_five_z_base_32_characters(string taskId, string hash) => Assert.Equal(hash, TaskHash.Of(taskId));
}
