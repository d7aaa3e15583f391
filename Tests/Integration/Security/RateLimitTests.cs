using System.Net;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Security;

/// <summary>Per-principal request rate limits.</summary>
[Trait("Area", "Security")]
public sealed class RateLimitTests(RateLimitTests.LimitedSilo silo) : IClassFixture<RateLimitTests.LimitedSilo>
{
    /// <summary>A silo allowing 5 requests a second.</summary>
    public sealed class LimitedSilo : SecuredSilo
    {
        /// <inheritdoc />
        protected override int RequestsPerSecond => 5;
    }

    [Fact]
    public async Task A_client_over_its_rate_gets_429_with_retry_after_and_others_are_not_held_back()
    {
        using var other = await silo.UserAsync("other", ("marathon:app:/*", "read"));
        using var admin = await silo.AdminAsync();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 50 && limited is null; i++)
        {
            var response = await admin.GetAsync("/v2/apps");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "Retry-After of at least a second");
            Assert.Contains("too many requests", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Another principal has its own allowance.
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v2/apps")).StatusCode);
    }
}
