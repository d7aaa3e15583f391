using OrleansDcos.Scheduling.Allocation;
using Xunit;

namespace OrleansDcos.Tests.Unit.Scheduling;

public sealed class RoleNamesTests
{
    [Theory]
    [InlineData("*", true)]
    [InlineData("web", true)]
    [InlineData("team-a.prod", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("-web", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\tb", false)]
    [InlineData("a\u0001", false)]
    public void Role_names_follow_Mesos_rules(string role, bool valid) => Assert.Equal(valid, RoleNames.IsValid(role));

    [Fact]
    public void Role_names_have_a_length_limit()
    {
        Assert.True(RoleNames.IsValid(new string('r', RoleNames.MaxLength)));
        Assert.False(RoleNames.IsValid(new string('r', RoleNames.MaxLength + 1)));
    }
}
