using Microsoft.Extensions.DependencyInjection.Extensions;
using OrleansDcos.Grains.Jobs;
using OrleansDcos.Silo.Master;

namespace OrleansDcos.Silo.Jobs;

/// <summary>Adds the built-in Chronos (jobs root, scheduler, <c>/v1/scheduler</c> API) to a silo that hosts the master.</summary>
public static class JobsHosting
{
    /// <summary>Registers <see cref="JobsOptions"/> (section <c>Jobs</c>, validated at start) and keeps Chronos' singletons active.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, Action<JobsOptions>? configure = null)
    {
        services.AddCheckedSection<JobsOptions>(JobsOptions.SectionName, o => o.Problems(), configure);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Hosting.ClusterLeader>();
        services.TryAddSingleton<Grains.RandomSource>();
        services.AddKeepAlive("jobs root", grains => grains.GetGrain<IJobsGrain>(JobKeys.Root).Ping());
        services.AddKeepAlive("chronos scheduler", grains => grains.GetGrain<IChronosSchedulerGrain>(JobKeys.Scheduler).Ping());
        return services;
    }
}
