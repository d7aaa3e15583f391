namespace OrleansDcos.Silo.Master;

/// <summary>Options bound from a configuration section and checked when the silo starts.</summary>
public static class CheckedSectionRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/>, applies <paramref name="configure"/> (tests, code) and runs
    /// <paramref name="check"/> at start: whatever it throws stops the silo with its message.
    /// </summary>
    public static IServiceCollection AddCheckedSection<T>(this IServiceCollection services, string section, Action<T> check, Action<T>? configure)
        where T : class
    {
        var options = services.AddOptions<T>().BindConfiguration(section)
            .Validate(o =>
            {
                check(o);
                return true;
            })
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }
}
