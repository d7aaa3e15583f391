namespace OrleansDcos.Silo.Master;

/// <summary>Registers <see cref="KeepAliveTarget"/>s.</summary>
public static class KeepAliveRegistration
{
    /// <summary>Keeps the grain <paramref name="ping"/> calls active from every silo.</summary>
    public static IServiceCollection AddKeepAlive(this IServiceCollection services, string name, Func<IGrainFactory, Task> ping)
    {
        services.AddSingleton(new KeepAliveTarget(name, ping));
        services.AddHostedService<SingletonKeepAlive>();
        return services;
    }
}
