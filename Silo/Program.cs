using OrleansDcos.Silo.Api;
using OrleansDcos.Silo.Discovery;
using OrleansDcos.Silo.Hosting;
using OrleansDcos.Silo.Jobs;
using OrleansDcos.Silo.Marathon;
using OrleansDcos.Silo.Master;
using OrleansDcos.Silo.Packages;
using OrleansDcos.Silo.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddSiloHost();
builder.Services.AddMaster();
builder.Services.AddMarathon();
builder.Services.AddJobs();
builder.Services.AddDiscovery();
builder.Services.AddPackages();
builder.Services.AddSecurity();
builder.Services.AddHostedService<EmbeddedAgent>();

var app = builder.Build();
app.UseApiErrors();
app.UseMarathonHttpMetrics();
app.MapWebUi();
app.UseSecurity();
app.MapInfoEndpoints();
app.MapSiloDashboard();
app.MapMaster();
app.MapMarathon();
app.MapJobs();
app.MapDiscovery();
app.MapLoadBalancer();
app.MapCosmos();
app.MapSecurity();

return await app.RunSiloAsync();

/// <summary>The silo's entry point; public so in-process tests can host it.</summary>
public partial class Program;
