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

    [Theory]
    [InlineData("00:00:01", false)]
    [InlineData("00:00:02", true)]
    [InlineData("00:15:00", true)]
    [InlineData("1.00:00:00", true)]
    [InlineData("1.00:00:01", false)]
    public void The_grain_collection_age_is_bounded_and_its_quantum_stays_under_it(string age, bool valid)
    {
        var options = new SiloOptions { GrainCollectionAge = TimeSpan.Parse(age, System.Globalization.CultureInfo.InvariantCulture) };

        var result = _validator.Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        Assert.True(options.GrainCollectionQuantum < options.GrainCollectionAge, "Orleans wants the age above the quantum");
        Assert.True(options.GrainCollectionQuantum <= TimeSpan.FromMinutes(1));
        if (!valid)
        {
            Assert.StartsWith($"Silo:GrainCollectionAge '{options.GrainCollectionAge}' is invalid", Assert.Single(result.Failures!));
        }
    }

    [Fact]
    public void Every_failure_is_reported_at_once()
    {
        var result = _validator.Validate(null, new SiloOptions { ClusterId = "x y", DataDirectory = " ", Mode = SiloMode.Cluster });

        Assert.Equal(3, result.Failures!.Count());
    }
}
