using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Hosting;

namespace OrleansDcos.Benchmarks.Scenarios;

/// <summary>A single silo's runtime in a generic host with the benchmark grains.</summary>
internal sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private BenchSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<BenchSilo> StartAsync(Action<GrainRuntimeBuilder> providers)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        providers(builder.Services.AddGrainRuntime(typeof(BenchSilo).Assembly));
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
