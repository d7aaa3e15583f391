using System.Text.Json.Nodes;
using OrleansDcos.Grains.Marathon;
using OrleansDcos.Grains.Marathon.Validation;
using Xunit;

namespace OrleansDcos.Tests.Unit.Marathon;

/// <summary>Groups: apps made absolute under them, and each group's dependencies.</summary>
[Trait("Area", "Marathon")]
public sealed class GroupReaderTests
{
    [Fact]
    public void Group_dependencies_are_read_absolute_relative_ones_from_the_groups_parent()
    {
        var group = GroupReader.Read(JsonNode.Parse("""
            {"id": "/shop", "apps": [{"id": "db", "cmd": "x"}],
             "groups": [{"id": "jobs", "dependencies": ["front", "/shop/db", "front"], "apps": [{"id": "worker", "cmd": "x"}]},
                        {"id": "front", "apps": [{"id": "web", "cmd": "x"}]}]}
            """), null);

        Assert.Equal("/shop", group.GroupId);
        Assert.Equal(["/shop/db", "/shop/jobs/worker", "/shop/front/web"], group.Apps.Select(a => a.Id));
        var only = Assert.Single(group.Dependencies);
        Assert.Equal("/shop/jobs", only.Key);
        Assert.Equal(["/shop/front", "/shop/db"], only.Value);
        Assert.Equal(["/shop", "/shop/jobs", "/shop/front"], group.Groups);
    }

    [Theory]
    [InlineData("""{"id": "/a", "groups": [{"id": "b", "dependencies": ["/a"]}]}""", "/groups/0/dependencies/0")]
    [InlineData("""{"id": "/a", "dependencies": ["/a/b"], "groups": [{"id": "b"}]}""", "/dependencies/0")]
    [InlineData("""{"id": "/a", "dependencies": ["/a"]}""", "/dependencies/0")]
    [InlineData("""{"id": "/a", "dependencies": [3]}""", "/dependencies/0")]
    [InlineData("""{"id": "/a", "dependencies": "/b"}""", "/dependencies")]
    public void A_group_cannot_depend_on_itself_a_group_it_is_in_or_one_inside_it(string json, string path)
    {
        var error = Assert.Throws<MarathonValidationException>(() => GroupReader.Read(JsonNode.Parse(json), null));
        Assert.Equal(path, Assert.Single(error.Details).Path);
    }
}
