using OrleansDcos.Silo.Hosting;
using Xunit;

namespace OrleansDcos.Tests.Unit.Hosting;

public sealed class SiloOptionsValidatorTests
{
    private readonly ProblemsValidator<SiloOptions> _validator = new(o => o.Problems());

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.True(_validator.Validate(null, new SiloOptions()).Succeeded);
    }

    [Theory]
    [InlineData("Bad Id")]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("UPPER")]
    public void A_bad_cluster_id_is_named_with_its_value(string clusterId)
    {
        var result = _validator.Validate(null, new SiloOptions { ClusterId = clusterId });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith($"Silo:ClusterId '{clusterId}' is invalid", failure);
    }

    [Fact]
    public void Cluster_mode_needs_a_connection_string()
    {
        var result = _validator.Validate(null, new SiloOptions { Mode = SiloMode.Cluster });

        Assert.Equal(["Silo:PostgresConnectionString is required when Silo:Mode is Cluster"], result.Failures);
    }

    [Fact]
    public void Every_failure_is_reported_at_once()
    {
        var result = _validator.Validate(null, new SiloOptions { ClusterId = "x y", DataDirectory = " ", Mode = SiloMode.Cluster });

        Assert.Equal(3, result.Failures!.Count());
    }
}
