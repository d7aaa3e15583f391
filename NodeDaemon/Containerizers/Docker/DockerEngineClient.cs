using System.Net;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Docker.DotNet.Unix;

namespace OrleansDcos.NodeDaemon.Containerizers.Docker;

/// <summary>
/// The node daemon's view of the Docker Engine: the operations its containerizer needs, over Docker.DotNet.Enhanced's
/// unix-socket transport, pinned to API 1.41 (Docker 20.10, which every later engine still serves). The engine's
/// refusals become <see cref="DockerEngineException"/> with its own words.
/// </summary>
public sealed class DockerEngineClient : IDisposable
{
    /// <summary>The engine's usual socket.</summary>
    public const string DefaultSocketPath = "/var/run/docker.sock";

    private static readonly System.Version ApiVersion = new(1, 41);
    private readonly DockerClient _docker;

    /// <summary>Connects (lazily) to the engine at <paramref name="socketPath"/>.</summary>
    public DockerEngineClient(string socketPath = DefaultSocketPath)
    {
        SocketPath = socketPath;
        _docker = new DockerClientBuilder()
            .WithEndpoint(new Uri($"unix://{Path.GetFullPath(socketPath)}"))
            .WithApiVersion(ApiVersion)
            .WithTimeout(Timeout.InfiniteTimeSpan) // a wait lasts as long as its container
            .WithTransportOptions(new UnixSocketTransportOptions())
            .Build();
    }

    /// <summary>The unix socket this client talks to.</summary>
    public string SocketPath { get; }

    /// <summary>True when the engine answers <c>/_ping</c>.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _docker.System.PingAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="image"/> is present locally (no pull is attempted).</summary>
    public async Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default)
    {
        try
        {
            await _docker.Images.InspectImageAsync(image, cancellationToken);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, "image inspect");
        }
    }

    /// <summary>
    /// Pulls <paramref name="image"/> from its registry (only when a task asks: <c>force_pull_image</c>). The engine
    /// reports failures inside its progress stream as an <c>error</c>; either way a failure throws, naming the image.
    /// </summary>
    public async Task PullImageAsync(string image, CancellationToken cancellationToken = default)
    {
        var colon = image.LastIndexOf(':');
        var (name, tag) = colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
        string? error = null;
        try
        {
            await _docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag }, authConfig: null,
                new Progress<JSONMessage>(message => error ??= message.Error?.Message), cancellationToken);
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, "pull");
        }

        if (error is { Length: > 0 })
        {
            throw new DockerEngineException(HttpStatusCode.BadGateway, "pull", $"{image}: {error}");
        }
    }

    /// <summary>Creates a container; returns its id.</summary>
    public async Task<string> CreateContainerAsync(DockerContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var parameters = new CreateContainerParameters
        {
            Name = spec.Name,
            Image = spec.Image,
            Cmd = spec.Command.ToList(),
            Env = spec.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Labels = new Dictionary<string, string>(spec.Labels),
            HostConfig = new HostConfig { NetworkMode = "host", Memory = spec.MemoryBytes, NanoCPUs = spec.NanoCpus, Binds = spec.Binds.ToList() },
        };
        try
        {
            var created = await _docker.Containers.CreateContainerAsync(parameters, cancellationToken);
            return created.ID is { Length: > 0 } id ? id : throw new DockerEngineException(HttpStatusCode.InternalServerError, "create", "the engine returned no container id");
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, "create");
        }
    }

    /// <summary>The container named or identified by <paramref name="idOrName"/>, or null when there is none.</summary>
    public async Task<DockerContainerState?> InspectContainerAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        try
        {
            var container = await _docker.Containers.InspectContainerAsync(idOrName, cancellationToken);
            return new DockerContainerState(container.ID, container.State?.Status ?? "");
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, "inspect");
        }
    }

    /// <summary>Starts a created container (a container already running is not an error).</summary>
    public Task StartContainerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync("start", () => _docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken));

    /// <summary>Waits until the container stops; returns its exit code.</summary>
    public async Task<long> WaitContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return (await _docker.Containers.WaitContainerAsync(id, cancellationToken)).StatusCode;
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, "wait");
        }
    }

    /// <summary>Stops the container: SIGTERM, then SIGKILL after <paramref name="grace"/> (stopped already is not an error).</summary>
    public Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken = default) =>
        CallAsync("stop", () => _docker.Containers.StopContainerAsync(id,
            new ContainerStopParameters { WaitBeforeKillSeconds = (uint)Math.Ceiling(grace.TotalSeconds) }, cancellationToken));

    /// <summary>Removes the container and its anonymous volumes; <paramref name="force"/> kills it first.</summary>
    public Task RemoveContainerAsync(string id, bool force = false, CancellationToken cancellationToken = default) =>
        CallAsync("remove", () => _docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = force, RemoveVolumes = true }, cancellationToken));

    /// <summary>Ids of containers (running or not) that carry the label <paramref name="key"/>=<paramref name="value"/>.</summary>
    public async Task<IReadOnlyList<string>> ListContainersByLabelAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        try
        {
            var containers = await _docker.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{key}={value}"] = true } },
            }, cancellationToken);
            return containers.Select(c => c.ID).ToArray();
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, "list");
        }
    }

    /// <summary>The container's stdout and stderr so far (containers run without a TTY, so the engine multiplexes both streams; they come apart here).</summary>
    public async Task<DockerLogs> GetLogsAsync(string id, CancellationToken cancellationToken = default)
    {
        try
        {
            using var logs = await _docker.Containers.GetContainerLogsAsync(id, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, cancellationToken);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(cancellationToken);
            return new DockerLogs(stdout, stderr);
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, "logs");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _docker.Dispose();

    private static async Task CallAsync(string operation, Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (DockerApiException ex)
        {
            throw Refused(ex, operation);
        }
    }

    /// <summary>The engine's refusal in its own words (its JSON <c>message</c> when it sent one).</summary>
    private static DockerEngineException Refused(DockerApiException ex, string operation)
    {
        var message = ex.ResponseBody ?? ex.Message;
        try
        {
            using var json = JsonDocument.Parse(message);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var text) && text.GetString() is { } engineMessage)
            {
                message = engineMessage;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the body as it is.
        }

        return new DockerEngineException(ex.StatusCode, operation, message.Trim());
    }
}
