using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>
/// A small client for the Docker Engine API over its unix socket, with <see cref="HttpClient"/>
/// (Docker.DotNet cannot be restored here, and the CLI is not a dependency we want on agents).
/// Pinned to API 1.41 (Docker 20.10), which every later engine still serves.
/// </summary>
public sealed class DockerEngineClient : IDisposable
{
    /// <summary>The engine's usual socket.</summary>
    public const string DefaultSocketPath = "/var/run/docker.sock";

    private const string ApiVersion = "v1.41";
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly HttpClient _http;

    /// <summary>Connects (lazily) to the engine at <paramref name="socketPath"/>.</summary>
    public DockerEngineClient(string socketPath = DefaultSocketPath)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // The host name is a placeholder: every connection goes to the socket.
        _http = new HttpClient(handler) { BaseAddress = new Uri($"http://docker/{ApiVersion}/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The unix socket this client talks to.</summary>
    public string SocketPath { get; }

    /// <summary>True when the engine answers <c>/_ping</c>.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync("_ping", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="image"/> is present locally (no pull is attempted).</summary>
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"images/{Uri.EscapeDataString(image)}/json", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, "image inspect", cancellationToken);
        return true;
    }

    /// <summary>
    /// Pulls <paramref name="image"/> from its registry (only when a task asks: <c>force_pull_image</c>). The engine
    /// reports failures inside a 200 answer as an <c>error</c> line; either way a failure throws, naming the image.
    /// </summary>
    public async Task PullImageAsync(string image, CancellationToken cancellationToken = default)
    {
        var colon = image.LastIndexOf(':');
        var (name, tag) = colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
        using var response = await _http.PostAsync($"images/create?fromImage={Uri.EscapeDataString(name)}&tag={Uri.EscapeDataString(tag)}", content: null, cancellationToken);
        await EnsureSuccessAsync(response, "pull", cancellationToken);
        foreach (var line in (await response.Content.ReadAsStringAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (JsonSerializer.Deserialize<PullProgress>(line, Json)?.Error is { Length: > 0 } error)
            {
                throw new DockerEngineException(HttpStatusCode.BadGateway, "pull", error);
            }
        }
    }

    /// <summary>Creates a container; returns its id.</summary>
    public async Task<string> CreateContainerAsync(DockerContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var body = new CreateContainerRequest(
            spec.Image,
            spec.Command,
            spec.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToArray(),
            spec.Labels,
            new HostConfig("host", spec.MemoryBytes, spec.NanoCpus, spec.Binds));
        var uri = spec.Name is null ? "containers/create" : $"containers/create?name={Uri.EscapeDataString(spec.Name)}";
        using var response = await _http.PostAsJsonAsync(uri, body, Json, cancellationToken);
        await EnsureSuccessAsync(response, "create", cancellationToken);
        var created = await response.Content.ReadFromJsonAsync<CreateContainerResponse>(Json, cancellationToken);
        return created?.Id ?? throw new DockerEngineException(response.StatusCode, "create", "the engine returned no container id");
    }

    /// <summary>Starts a created container (a container already running is not an error).</summary>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync($"containers/{id}/start", content: null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotModified)
        {
            await EnsureSuccessAsync(response, "start", cancellationToken);
        }
    }

    /// <summary>Waits until the container stops; returns its exit code.</summary>
    public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync($"containers/{id}/wait", content: null, cancellationToken);
        await EnsureSuccessAsync(response, "wait", cancellationToken);
        var result = await response.Content.ReadFromJsonAsync<WaitResponse>(Json, cancellationToken);
        return result?.StatusCode ?? throw new DockerEngineException(response.StatusCode, "wait", "the engine returned no exit code");
    }

    /// <summary>Stops the container: SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var seconds = (int)Math.Ceiling(grace.TotalSeconds);
        using var response = await _http.PostAsync($"containers/{id}/stop?t={seconds}", content: null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotModified)
        {
            await EnsureSuccessAsync(response, "stop", cancellationToken);
        }
    }

    /// <summary>Removes the container and its anonymous volumes; <paramref name="force"/> kills it first.</summary>
    public async Task RemoveContainerAsync(string id, bool force = false, CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync($"containers/{id}?v=1&force={(force ? 1 : 0)}", cancellationToken);
        await EnsureSuccessAsync(response, "remove", cancellationToken);
    }

    /// <summary>Ids of containers (running or not) that carry the label <paramref name="key"/>=<paramref name="value"/>.</summary>
    public async Task<IReadOnlyList<string>> ListContainersByLabelAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        var filters = JsonSerializer.Serialize(new Dictionary<string, string[]> { ["label"] = [$"{key}={value}"] });
        using var response = await _http.GetAsync($"containers/json?all=1&filters={Uri.EscapeDataString(filters)}", cancellationToken);
        await EnsureSuccessAsync(response, "list", cancellationToken);
        var items = await response.Content.ReadFromJsonAsync<List<ContainerSummary>>(Json, cancellationToken) ?? [];
        return items.Select(c => c.Id).ToArray();
    }

    /// <summary>The container's stdout and stderr so far (containers run without a TTY, so the
    /// engine multiplexes both streams; they are separated here).</summary>
    public async Task<DockerLogs> GetLogsAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"containers/{id}/logs?stdout=1&stderr=1", cancellationToken);
        await EnsureSuccessAsync(response, "logs", cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return DockerLogs.Demultiplex(bytes);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string message;
        try
        {
            message = JsonSerializer.Deserialize<EngineError>(text, Json)?.Message ?? text;
        }
        catch (JsonException)
        {
            message = text;
        }

        throw new DockerEngineException(response.StatusCode, operation, message.Trim());
    }

    private sealed record CreateContainerRequest(
        string Image,
        IReadOnlyList<string> Cmd,
        IReadOnlyList<string> Env,
        IReadOnlyDictionary<string, string> Labels,
        HostConfig HostConfig);

    private sealed record HostConfig(string NetworkMode, long Memory, long NanoCpus, IReadOnlyList<string> Binds);

    private sealed record CreateContainerResponse(string Id);

    private sealed record WaitResponse(long StatusCode);

    private sealed record ContainerSummary(string Id);

    private sealed record EngineError(string Message);

    private sealed record PullProgress(string? Error);
}
