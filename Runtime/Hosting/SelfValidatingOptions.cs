using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansDcos.Runtime.Hosting;

/// <summary>Options that list their own problems, each naming the setting and its value.</summary>
internal interface ISelfValidatingOptions
{
    IReadOnlyList<string> Validate();
}

/// <summary>Binds options from their configuration section and validates them at start with their own rules.</summary>
internal static class SelfValidatingOptions
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class, ISelfValidatingOptions
    {
        services.AddSingleton<IValidateOptions<TOptions>, Validator<TOptions>>();
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class Validator<TOptions> : IValidateOptions<TOptions>
        where TOptions : class, ISelfValidatingOptions
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
