using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using OrleansDcos.Scheduling.Packages;

namespace OrleansDcos.Grains.Packages;

/// <summary>
/// The cluster's package repositories in priority order, kept in grain state; the configured defaults are put in once,
/// so a cluster whose operator deleted them stays without.
/// </summary>
public sealed class PackageRepositoriesGrain(
    [PersistentState("packageRepositories", "Default")] IPersistentState<PackageRepositoriesState> state,
    IOptions<PackagesOptions> options) : Grain, IPackageRepositoriesGrain
{
    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.State.Seeded)
        {
            state.State.Repositories = [.. options.Value.DefaultRepositories];
            state.State.Seeded = true;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PackageRepositoryInfo>> List() => Task.FromResult<IReadOnlyList<PackageRepositoryInfo>>([.. state.State.Repositories]);

    /// <inheritdoc />
    public async Task<IReadOnlyList<PackageRepositoryInfo>> Add(PackageRepositoryInfo repository, int? index)
    {
        var name = repository.Name.Trim();
        if (!PackageNames.IsValid(name.ToLowerInvariant()) || name.Length == 0)
        {
            throw new PackageRepositoryException("RepositoryNameInvalid", $"'{repository.Name}' is not a repository name (letters, digits and '-', at most {PackageNames.MaxLength})");
        }

        if (!Uri.TryCreate(repository.Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "file") || repository.Uri.Length > 2048)
        {
            throw new PackageRepositoryException("RepositoryUriSyntax", $"'{repository.Uri}' is not a repository URI (http://, https:// or file://)");
        }

        var repositories = state.State.Repositories;
        if (repositories.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase) || r.Uri == uri.ToString()))
        {
            throw new PackageRepositoryException("RepositoryAlreadyPresent", $"a repository named '{name}' or at {uri} is already there");
        }

        if (repositories.Count >= PackagesOptions.MaxRepositories)
        {
            throw new PackageRepositoryException("RepositoryLimit", $"at most {PackagesOptions.MaxRepositories} repositories");
        }

        if (index is { } at && (at < 0 || at > repositories.Count))
        {
            throw new PackageRepositoryException("RepositoryAddIndexOutOfBounds", $"index {at} is not within 0–{repositories.Count}");
        }

        repositories.Insert(index ?? repositories.Count, new PackageRepositoryInfo(name, uri.ToString()));
        await state.WriteStateAsync();
        return [.. repositories];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PackageRepositoryInfo>> Remove(string? name, string? uri)
    {
        var removed = state.State.Repositories.RemoveAll(r => (name is not null && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)) || (uri is not null && r.Uri == uri));
        if (removed == 0)
        {
            throw new PackageRepositoryException("RepositoryNotPresent", $"no repository named '{name ?? uri}'");
        }

        await state.WriteStateAsync();
        return [.. state.State.Repositories];
    }
}
