using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansDcos.Runtime;
using OrleansDcos.Runtime.Hosting;

namespace OrleansDcos.Tests.Integration.Runtime;

/// <summary>A single silo's runtime in a generic host, with this assembly's test grains.</summary>
public sealed class RuntimeHost : IAsyncDisposable
{
    private readonly IHost _host;

    private RuntimeHost(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    public IStreamProvider Streams(string name = StreamTests.Provider) => _host.Services.GetRequiredKeyedService<IStreamProvider>(name);

    public static async Task<RuntimeHost> StartAsync(Action<GrainRuntimeBuilder> providers, Action<GrainRuntimeOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        providers(builder.Services.AddGrainRuntime(typeof(RuntimeHost).Assembly));
        builder.Services.Configure<GrainRuntimeOptions>(o => configure?.Invoke(o));
        var host = builder.Build();
        await host.StartAsync();
        return new RuntimeHost(host);
    }

    /// <summary>Stops gracefully (activations deactivate).</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        await ((IAsyncDisposable)_host).DisposeAsync();
    }
}
