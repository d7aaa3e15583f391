using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Reminders;

namespace OrleansDcos.Runtime.Hosting;

/// <summary>Adds the grain runtime to a host.</summary>
public static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime with the grain classes found in <paramref name="grainAssemblies"/>; options bind
    /// from the <c>GrainRuntime</c> section and are validated at start. Choose providers on the result.
    /// </summary>
    public static GrainRuntimeBuilder AddGrainRuntime(this IServiceCollection services, params Assembly[] grainAssemblies)
    {
        services.AddValidatedOptions<GrainRuntimeOptions>(GrainRuntimeOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new GrainClassRegistry(grainAssemblies));
        services.AddSingleton<Catalog>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<Catalog>().GrainFactory);
        services.TryAddSingleton<IReminderTable, MemoryReminderTable>();
        services.AddSingleton<ReminderService>();
        services.TryAddSingleton<OrleansDcos.Runtime.Membership.IRingOwnership, OrleansDcos.Runtime.Membership.SingleSiloOwnership>();
        var builder = new GrainRuntimeBuilder(services);
        services.AddSingleton(builder);
        services.AddHostedService<GrainRuntimeHost>();
        return builder;
    }
}
