using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace OrleansDcos.NodeDaemon.Fetcher;

/// <summary>
/// Downloads a task's URIs into its sandbox before it starts: http(s) and file URIs, archives extracted
/// in place (never outside the sandbox), the executable bit on request, and a per-agent cache keyed by URI.
/// </summary>
public sealed class UriFetcher(string cacheDirectory, HttpClient? http = null)
{
    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>Fetches every URI into <paramref name="sandbox"/>, in order; the first failure stops it.</summary>
    public async Task FetchAllAsync(IEnumerable<FetchUri> uris, string sandbox, CancellationToken cancellationToken)
    {
        foreach (var uri in uris)
        {
            await FetchAsync(uri, sandbox, cancellationToken);
        }
    }

    /// <summary>Fetches one URI; returns the path of the file placed in the sandbox.</summary>
    public async Task<string> FetchAsync(FetchUri uri, string sandbox, CancellationToken cancellationToken)
    {
        var name = SafeName(uri);
        var target = Path.Combine(sandbox, name);
        try
        {
            if (uri.Cache)
            {
                var cached = Path.Combine(cacheDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(uri.Value))));
                if (!File.Exists(cached))
                {
                    Directory.CreateDirectory(cacheDirectory);
                    var partial = cached + "." + Guid.NewGuid().ToString("N") + ".part";
                    await DownloadAsync(uri.Value, partial, cancellationToken);
                    File.Move(partial, cached, overwrite: true);
                }

                File.Copy(cached, target, overwrite: true);
            }
            else
            {
                await DownloadAsync(uri.Value, target, cancellationToken);
            }

            if (uri.Executable)
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(target, File.GetUnixFileMode(target) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }
            }
            else if (uri.Extract)
            {
                await ExtractAsync(target, sandbox, cancellationToken);
            }

            return target;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException or UnauthorizedAccessException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new FetchException($"fetching {uri.Value} failed: {ex.Message}", ex);
        }
    }

    private static string SafeName(FetchUri uri)
    {
        var name = uri.OutputFile ?? Path.GetFileName(Uri.TryCreate(uri.Value, UriKind.Absolute, out var parsed) ? Uri.UnescapeDataString(parsed.AbsolutePath) : uri.Value);
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
        {
            throw new FetchException($"'{uri.Value}' names no file to place in the sandbox (give an output file)");
        }

        return name;
    }

    private async Task DownloadAsync(string uri, string target, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw new FetchException($"'{uri}' is not an absolute URI or path");
        }

        if (parsed.IsFile)
        {
            File.Copy(parsed.LocalPath, target, overwrite: true);
            return;
        }

        if (parsed.Scheme is not ("http" or "https"))
        {
            throw new FetchException($"'{uri}': the {parsed.Scheme} scheme is not supported (http, https, file)");
        }

        using var response = await _http.GetAsync(parsed, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new FetchException($"fetching {uri} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        await using var file = File.Create(target);
        await response.Content.CopyToAsync(file, cancellationToken);
    }

    private static async Task ExtractAsync(string file, string sandbox, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file).ToLowerInvariant();
        if (name.EndsWith(".zip", StringComparison.Ordinal))
        {
            await ZipFile.ExtractToDirectoryAsync(file, sandbox, overwriteFiles: true, cancellationToken);
        }
        else if (name.EndsWith(".tar", StringComparison.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            await TarFile.ExtractToDirectoryAsync(stream, sandbox, overwriteFiles: true, cancellationToken);
        }
        else if (name.EndsWith(".tar.gz", StringComparison.Ordinal) || name.EndsWith(".tgz", StringComparison.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            await TarFile.ExtractToDirectoryAsync(gzip, sandbox, overwriteFiles: true, cancellationToken);
        }
        else if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            await using var stream = File.OpenRead(file);
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            await using var output = File.Create(file[..^3]);
            await gzip.CopyToAsync(output, cancellationToken);
        }
    }
}
