using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using System.Globalization;
using System.Net;
using OrleansDcos.NodeDaemon.Agent;
using OrleansDcos.NodeDaemon.Metrics;

// The node daemon: settings from appsettings.json, DCOS_Daemon__* environment variables or --Daemon:*=… arguments.
// Besides running tasks it serves, on Daemon:ListenAddress and Daemon:Port (Mesos' agent port, 5051), /metrics
// (Prometheus' text format: every live task's cgroup CPU and memory, and the process) and /health.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Configuration.AddEnvironmentVariables("DCOS_");
builder.Services.AddOptions<DaemonOptions>().BindConfiguration(DaemonOptions.SectionName);
builder.Services.AddSingleton<AgentDaemonService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentDaemonService>());
var settings = builder.Configuration.GetSection(DaemonOptions.SectionName).Get<DaemonOptions>() ?? new DaemonOptions();
try
{
    settings.Validate();
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"agent: invalid settings: {ex.Message}");
    return 2;
}

builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{FormatHost(settings.ListenAddress)}:{settings.Port}"));
PrometheusText.Configure();
await using var app = builder.Build();
app.MapGet("/metrics", async (HttpContext context) =>
{
    context.Response.ContentType = PrometheusText.ContentType;
    await PrometheusText.WriteAsync(context.Response.Body, context.RequestAborted);
});
app.MapGet("/health", (AgentDaemonService daemon) => Results.Ok());
try
{
    await app.RunAsync();
}
catch (IOException ex)
{
    await Console.Error.WriteLineAsync($"agent: cannot serve on {settings.ListenAddress}:{settings.Port}: {ex.Message} (set Daemon:Port or Daemon:ListenAddress)");
    return 1;
}

return 0;

static string FormatHost(string address) => IPAddress.Parse(address).AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address;
