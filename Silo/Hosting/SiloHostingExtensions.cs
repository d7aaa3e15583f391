using Microsoft.Extensions.Options;

namespace OrleansDcos.Silo.Hosting;

/// <summary>Wires the silo host: configuration sources, validated options, default listening URL.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The prefix of environment variables read as settings (<c>DCOS_Silo__ClusterId</c>).</summary>
    public const string EnvironmentPrefix = "DCOS_";

    /// <summary>Adds the silo's settings and services to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddSiloHost(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);

        // Listen on the documented default unless the standard ASP.NET Core knobs say otherwise.
        if (!HasExplicitEndpoints(builder.Configuration))
        {
            builder.WebHost.UseUrls(SiloOptions.DefaultUrl);
        }

        builder.Services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        builder.Services.AddOptions<SiloOptions>()
            .BindConfiguration(SiloOptions.SectionName)
            .ValidateOnStart();

        builder.Services.AddProblemDetails();
        return builder;
    }

    private static bool HasExplicitEndpoints(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();
}
