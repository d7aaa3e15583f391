using OrleansDcos.Grains.Packages;

namespace OrleansDcos.Silo.Packages;

/// <summary>The package service's registrations: settings (section <c>Packages</c>), the catalog, and the project's own repository as the default.</summary>
public static class PackagesHosting
{
    /// <summary>The shipped repository's folder, next to the silo's assembly (copied from infra/universe at build).</summary>
    public static string ShippedRepository => Path.Combine(AppContext.BaseDirectory, "universe");

    /// <summary>Adds the package service.</summary>
    public static IServiceCollection AddPackages(this IServiceCollection services)
    {
        services.AddOptions<PackagesOptions>().BindConfiguration(PackagesOptions.SectionName).PostConfigure(options =>
        {
            // Unless configured: the project's own repository, when it is there.
            if (options.DefaultRepositories.Count == 0 && Directory.Exists(Path.Combine(ShippedRepository, "packages")))
            {
                options.DefaultRepositories.Add(new PackageRepositoryInfo("local", new Uri(ShippedRepository + Path.DirectorySeparatorChar).ToString()));
            }
        });
        services.AddHttpClient(nameof(PackageCatalog));
        services.AddSingleton<PackageCatalog>();
        return services;
    }
}
