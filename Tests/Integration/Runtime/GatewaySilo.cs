using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDcos.Runtime.Gateway;
using OrleansDcos.Runtime.Hosting;
using OrleansDcos.Runtime.Streams;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>A silo with the test grains and its gateway on a real loopback port (so clients connect over TCP).</summary>
public sealed class GatewaySilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewaySilo(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<GatewaySilo> StartAsync(int port, Action<GrainRuntimeBuilder> providers)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var runtime = builder.Services.AddGrainRuntime(typeof(GatewaySilo).Assembly);
        providers(runtime);
        runtime.AddStreams(StreamTests.Provider, new StreamProviderOptions { PollInterval = TimeSpan.FromMilliseconds(200) });
        var app = builder.Build();
        app.MapGrainGateway();
        await app.StartAsync();
        return new GatewaySilo(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
