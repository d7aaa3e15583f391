using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrleansDcos.Silo.Discovery;
using OrleansDcos.Silo.Jobs;
using OrleansDcos.Silo.Marathon;

namespace OrleansDcos.Tests.Integration.Master;

internal static class MasterTestLogging
{
    /// <summary>Adds the built-in Marathon with short timings when asked.</summary>
    public static IServiceCollection AddMarathonIf(this IServiceCollection services, bool marathon) =>
        marathon ? services.AddMarathon(o => o.TaskLaunchReconcileAfter = TimeSpan.FromSeconds(3)) : services;

    public static IServiceCollection AddJobsIf(this IServiceCollection services, bool jobs) =>
        jobs ? services.AddJobs(o => (o.RetryDelay, o.ReconcileInterval, o.LaunchReconcileAfter) = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3))) : services;

    /// <summary>Adds Mesos-DNS on <paramref name="dnsPort"/> of each silo's own address when <paramref name="dnsPort"/> is given.</summary>
    public static IServiceCollection AddDiscoveryIf(this IServiceCollection services, int? dnsPort) =>
        dnsPort is { } port ? services.AddDiscovery(o => o.Port = port) : services;

    /// <summary>Set DCOS_TEST_LOG=1 to see the silos' logs while debugging a test.</summary>
    public static IServiceCollection AddMasterForTests(this IServiceCollection services)
    {
        if (Environment.GetEnvironmentVariable("DCOS_TEST_LOG") == "1")
        {
            services.AddLogging(l => l.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Debug)
                .AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning).AddFilter("OrleansDcos", LogLevel.Debug));
        }

        return services;
    }
}
