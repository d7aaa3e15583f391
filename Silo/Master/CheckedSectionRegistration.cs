namespace OrleansDcos.Silo.Master;

/// <summary>Options bound from a configuration section and checked when the silo starts.</summary>
public static class CheckedSectionRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="section"/>, applies <paramref name="configure"/> (tests, code) and
    /// checks it at start with <paramref name="problems"/> (<see cref="Hosting.ProblemsValidator{T}"/>): any problem stops
    /// the silo, every one named.
    /// </summary>
    public static IServiceCollection AddCheckedSection<T>(this IServiceCollection services, string section, Func<T, IReadOnlyList<string>> problems, Action<T>? configure)
        where T : class
    {
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<T>>(new Hosting.ProblemsValidator<T>(problems));
        var options = services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }
}
