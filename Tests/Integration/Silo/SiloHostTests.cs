using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansDcos.Client;
using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Silo;

/// <summary>The silo host in-process (embedded mode): it starts and answers its basic endpoints.</summary>
[Trait("Area", "Silo")]
public sealed class SiloHostTests(SiloHostTests.Factory factory) : IClassFixture<SiloHostTests.Factory>
{
    /// <summary>The silo with its data directory in a temporary directory.</summary>
    public sealed class Factory : WebApplicationFactory<Program>
    {
        private readonly TempDirectory _data = new();

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
            builder.UseSetting("Silo:DataDirectory", _data.Path);

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            _data.Dispose();
        }
    }

    [Fact]
    public async Task Ping_answers_pong()
    {
        using var http = factory.CreateClient();

        Assert.True(await new DcosClient(http).PingAsync());
    }

    [Fact]
    public async Task Info_names_the_product_version_and_embedded_mode()
    {
        using var http = factory.CreateClient();

        var info = await new DcosClient(http).GetInfoAsync();

        Assert.Equal("orleans-dcos", info.Name);
        Assert.Equal("0.1.0", info.Version);
        Assert.True(info.Elected);
        Assert.Equal("dcos", info.SiloConfig.ClusterId);
        Assert.Equal("Embedded", info.SiloConfig.Mode);
        Assert.Equal("sqlite", info.SiloConfig.Storage);
    }

    [Fact]
    public async Task An_unknown_route_is_a_json_404()
    {
        using var http = factory.CreateClient();

        using var response = await http.GetAsync("/v2/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        Assert.Equal("not found: GET /v2/nothing-here", error!.Message);
        Assert.Empty(error.Details);
    }

    [Fact]
    public async Task The_client_surfaces_errors_with_their_message()
    {
        using var http = factory.CreateClient();
        http.BaseAddress = new Uri(http.BaseAddress!, "/nowhere/");

        var ex = await Assert.ThrowsAsync<DcosApiException>(() => new DcosClient(http).PingAsync());

        Assert.Equal(HttpStatusCode.NotFound, ex.Status);
        Assert.Equal("not found: GET /nowhere/ping", ex.Error.Message);
    }
}
