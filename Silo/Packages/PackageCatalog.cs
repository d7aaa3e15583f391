using System.Collections.Concurrent;
using OrleansDcos.Grains.Packages;
using OrleansDcos.Scheduling.Packages;

namespace OrleansDcos.Silo.Packages;

/// <summary>
/// The packages of the cluster's repositories, read on demand (and kept for <see cref="Fresh"/>): an http(s) repository's
/// JSON document, or a file:// directory in the Universe layout (<c>packages/&lt;L&gt;/&lt;name&gt;/&lt;revision&gt;/</c>).
/// A repository that cannot be read is reported with why, and the others still serve.
/// </summary>
public sealed class PackageCatalog(IHttpClientFactory http, TimeProvider time)
{
    /// <summary>How long a repository's read is reused.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);

    /// <summary>The most a repository document may hold.</summary>
    public const long MaxRepositoryBytes = 32 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<UniversePackage> Packages, IReadOnlyList<string> Problems)> _read = new();

    /// <summary>Every package of <paramref name="repositories"/>, in their order, and what could not be read.</summary>
    public async Task<(IReadOnlyList<UniversePackage> Packages, IReadOnlyList<string> Problems)> ReadAsync(IReadOnlyList<PackageRepositoryInfo> repositories, CancellationToken cancellationToken)
    {
        var packages = new List<UniversePackage>();
        var problems = new List<string>();
        foreach (var repository in repositories)
        {
            var now = time.GetUtcNow();
            if (!_read.TryGetValue(repository.Uri, out var read) || now - read.At > Fresh)
            {
                var found = new List<string>();
                try
                {
                    read = (now, await ReadRepositoryAsync(repository, found, cancellationToken), found);
                }
                catch (Exception ex) when (ex is PackageException or HttpRequestException or IOException or UnauthorizedAccessException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    read = (now, [], [$"repository {repository.Name} ({repository.Uri}) cannot be read: {ex.Message}"]);
                }

                _read[repository.Uri] = read;
            }

            packages.AddRange(read.Packages);
            problems.AddRange(read.Problems);
        }

        return (packages, problems);
    }

    private async Task<IReadOnlyList<UniversePackage>> ReadRepositoryAsync(PackageRepositoryInfo repository, List<string> problems, CancellationToken cancellationToken)
    {
        var uri = new Uri(repository.Uri);
        if (uri.IsFile)
        {
            return await ReadDirectoryAsync(repository, uri.LocalPath, problems, cancellationToken);
        }

        using var client = http.CreateClient(nameof(PackageCatalog));
        client.Timeout = TimeSpan.FromSeconds(15);
        using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PackageException($"{uri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        if (response.Content.Headers.ContentLength > MaxRepositoryBytes)
        {
            throw new PackageException($"{uri} is larger than {MaxRepositoryBytes} bytes");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        var buffer = new char[MaxRepositoryBytes / 4];
        var text = new System.Text.StringBuilder();
        int count;
        while ((count = await reader.ReadAsync(buffer, cancellationToken)) > 0)
        {
            text.Append(buffer, 0, count);
            if (text.Length > MaxRepositoryBytes)
            {
                throw new PackageException($"{uri} is larger than {MaxRepositoryBytes} bytes");
            }
        }

        return UniverseIndex.Parse(text.ToString(), repository.Name, repository.Uri, problems);
    }

    private static async Task<IReadOnlyList<UniversePackage>> ReadDirectoryAsync(PackageRepositoryInfo repository, string root, List<string> problems, CancellationToken cancellationToken)
    {
        var packagesDirectory = Path.Combine(root, "packages");
        if (!Directory.Exists(packagesDirectory))
        {
            throw new PackageException($"{root} has no packages/ directory (the Universe layout: packages/<L>/<name>/<revision>/)");
        }

        var packages = new List<UniversePackage>();
        foreach (var release in Directory.EnumerateDirectories(packagesDirectory).SelectMany(Directory.EnumerateDirectories).SelectMany(Directory.EnumerateDirectories).Order(StringComparer.Ordinal))
        {
            if (packages.Count >= UniverseIndex.MaxPackages)
            {
                problems.Add($"repository {repository.Name}: more than {UniverseIndex.MaxPackages} releases; the rest are left out");
                break;
            }

            async Task<string?> ReadAsync(string file)
            {
                var path = Path.Combine(release, file);
                return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : null;
            }

            try
            {
                var revision = int.TryParse(Path.GetFileName(release), System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : 0;
                var packageJson = await ReadAsync("package.json") ?? throw new PackageException($"{release}: no package.json");
                packages.Add(UniverseIndex.Files(packageJson, await ReadAsync("config.json"), await ReadAsync("marathon.json.mustache"), await ReadAsync("resource.json"),
                    revision, repository.Name, repository.Uri, $"{repository.Name} {Path.GetRelativePath(root, release)}", await ReadAsync("chronos.json.mustache")));
            }
            catch (PackageException ex)
            {
                problems.Add(ex.Message);
            }
        }

        return packages;
    }
}
