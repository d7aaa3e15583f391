using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansDcos.LoadBalancer;

// The load balancer: settings from appsettings.json, DCOS_LoadBalancer__* environment variables or --LoadBalancer:*=… arguments.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("DCOS_");
builder.Services.AddOptions<LoadBalancerOptions>().BindConfiguration(LoadBalancerOptions.SectionName)
    .PostConfigure(o => o.Silos = o.Silos.Count == 0 ? [LoadBalancerOptions.DefaultSilo] : o.Silos); // a list default would be added to, not replaced
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHostedService<LoadBalancerService>();
using var host = builder.Build();
try
{
    host.Services.GetRequiredService<IOptions<LoadBalancerOptions>>().Value.Validate();
}
catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync($"lb: invalid settings: {ex.Message}");
    return 2;
}

await host.RunAsync();
return 0;
