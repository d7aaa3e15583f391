using OrleansDcos.NodeDaemon.Tasks;
using Xunit;

namespace OrleansDcos.Tests.Unit.NodeDaemon;

[Trait("Area", "Agent")]
public sealed class TaskPathsTests
{
    private const string Root = "/var/lib/orleansdcos/agent/sandboxes";

    [Theory]
    [InlineData("web.0f3c", "web.0f3c")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData(".", "%2E")]
    [InlineData("..", "%2E%2E")]
    [InlineData("", "%00")]
    [InlineData("a b\n", "a%20b%0A")]
    public void A_name_is_one_segment_inside_its_root(string id, string name)
    {
        Assert.Equal(name, TaskPaths.NameOf(id));
        Assert.Equal($"{Root}/{name}", TaskPaths.For(Root, id));
    }

    [Fact]
    public void A_long_id_gets_a_short_name_that_still_tells_ids_apart()
    {
        var a = new string('x', 5000) + "a";
        var b = new string('x', 5000) + "b";
        Assert.Equal(TaskPaths.MaxNameLength, TaskPaths.NameOf(a).Length);
        Assert.NotEqual(TaskPaths.NameOf(a), TaskPaths.NameOf(b));
        Assert.Equal(TaskPaths.NameOf(a), TaskPaths.NameOf(a));
        Assert.StartsWith(new string('x', 100), TaskPaths.NameOf(a));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("../agent_id")]
    [InlineData("/etc")]
    public void A_path_that_would_leave_its_root_is_refused(string name)
    {
        var ex = Assert.Throws<TaskPathException>(() => TaskPaths.Under(Root, name));
        Assert.Contains(Root, ex.Message, StringComparison.Ordinal);
    }
}
