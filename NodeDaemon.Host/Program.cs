using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrleansDcos.NodeDaemon.Agent;

// The node daemon: settings from appsettings.json, DCOS_Daemon__* environment variables or --Daemon:*=… arguments.
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("DCOS_");
builder.Services.AddOptions<DaemonOptions>().BindConfiguration(DaemonOptions.SectionName);
builder.Services.AddSingleton<AgentDaemonService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentDaemonService>());
using var host = builder.Build();
try
{
    host.Services.GetRequiredService<IOptions<DaemonOptions>>().Value.Validate();
}
catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync($"agent: invalid settings: {ex.Message}");
    return 2;
}

await host.RunAsync();
return 0;
