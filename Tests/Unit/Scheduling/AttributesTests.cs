using OrleansDcos.Scheduling.Attributes;
using OrleansDcos.Scheduling.Resources;
using Xunit;

namespace OrleansDcos.Tests.Unit.Scheduling;

[Trait("Area", "Scheduling")]
public sealed class AttributesTests
{
    [Fact]
    public void Text_scalar_ranges_and_set_values_are_recognised()
    {
        var attributes = AgentAttributes.Parse("rack:r1;zone:a;level:10;slots:[1-4];tags:{ssd,fast}");

        Assert.Equal(AttributeKind.Text, attributes["rack"].Kind);
        Assert.Equal(AttributeKind.Scalar, attributes["level"].Kind);
        Assert.Equal(10, attributes["level"].Scalar!.Value.ToDouble());
        Assert.Equal(AttributeKind.Ranges, attributes["slots"].Kind);
        Assert.Equal(AttributeKind.Set, attributes["tags"].Kind);
        Assert.Equal("{fast,ssd}", attributes["tags"].Text);
        Assert.Equal("level:10;rack:r1;slots:[1-4];tags:{fast,ssd};zone:a", attributes.ToString());
        Assert.Equal(attributes.ToString(), AgentAttributes.Parse(attributes.ToString()).ToString());
    }

    [Theory]
    [InlineData("rack", "rack", "expected name:value")]
    [InlineData("rack:r1;rack:r2", "rack:r2", "given twice")]
    [InlineData("rack:r 1", "rack:r 1", "not allowed in a text attribute")]
    [InlineData("1rack:a", "1rack:a", "is not an attribute name")]
    [InlineData("slots:[4-1]", "slots:[4-1]", "ends before it begins")]
    public void Bad_syntax_names_the_offending_fragment(string text, string fragment, string reason)
    {
        var ex = Assert.Throws<ResourceParseException>(() => AgentAttributes.Parse(text));

        Assert.Equal(fragment, ex.Fragment);
        Assert.Contains(reason, ex.Message);
    }
}
