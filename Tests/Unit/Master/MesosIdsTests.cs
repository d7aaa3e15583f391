using OrleansDcos.Mesos;
using Xunit;

namespace OrleansDcos.Tests.Unit.Master;

[Trait("Area", "Master")]
public sealed class MesosIdsTests
{
    [Theory]
    [InlineData("web.1")]
    [InlineData("prod_web.0f3c2a")]
    [InlineData("a..b")]
    [InlineData("...")]
    [InlineData("ümlaut-ok")]
    public void Ids_Mesos_accepts_pass(string id) => Assert.Null(MesosIds.Problem(id, "task_id"));

    [Theory]
    [InlineData("", "task_id must not be empty")]
    [InlineData(".", "task_id '.' is not allowed (it names a directory)")]
    [InlineData("..", "task_id '..' is not allowed (it names a directory)")]
    [InlineData("a/b", "task_id 'a/b' contains '/': ids may not hold '/', '\\', whitespace or control characters")]
    [InlineData("a\\b", "task_id 'a\\b' contains '\\': ids may not hold '/', '\\', whitespace or control characters")]
    [InlineData("a b", "task_id 'a b' contains a space: ids may not hold '/', '\\', whitespace or control characters")]
    [InlineData("a\nb", "task_id 'a\\u000ab' contains the character U+000A: ids may not hold '/', '\\', whitespace or control characters")]
    [InlineData("tab\there", "task_id 'tab\\u0009here' contains the character U+0009: ids may not hold '/', '\\', whitespace or control characters")]
    public void Ids_Mesos_refuses_are_named_with_the_reason(string id, string expected) => Assert.Equal(expected, MesosIds.Problem(id, "task_id"));

    [Fact]
    public void An_id_over_the_limit_is_refused_and_shown_cut()
    {
        var id = new string('x', 5000);
        Assert.Null(MesosIds.Problem(new string('x', MesosIds.MaxLength), "framework_id"));
        Assert.Equal($"framework_id '{new string('x', 64)}'… (5000 characters) is 5000 characters long; the limit is 255", MesosIds.Problem(id, "framework_id"));
    }
}
