using System.Net.Http.Json;
namespace OrleansDcos.Tests.Support;

/// <summary>The built silo started as its own process (<c>dotnet OrleansDcos.Silo.dll</c>) on a free loopback port.</summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly string _dataDirectory;
    private readonly IReadOnlyList<string> _arguments;
    private ChildProcess _process;

    private SiloProcess(ChildProcess process, Uri baseAddress, string dataDirectory, IReadOnlyList<string> arguments)
    {
        _process = process;
        BaseAddress = baseAddress;
        _dataDirectory = dataDirectory;
        _arguments = arguments;
    }

    /// <summary>
    /// Kills the silo process (its data directory stays) and, after <paramref name="down"/>, starts it again with the
    /// same arguments — the same address, ports and state — and waits until it listens.
    /// </summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await _process.DisposeAsync();
        await Task.Delay(down);
        _process = StartRaw(_arguments);
        await _process.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60));
    }

    /// <summary>The silo's HTTP base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The silo's data directory (a temporary one).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>Waits for a line of the silo's output holding <paramref name="text"/> (seen already or to come).</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan timeout) => _process.WaitForLineAsync(text, timeout);

    /// <summary>The last <paramref name="lines"/> lines of the silo's output (to explain a failed wait).</summary>
    public string OutputTail(int lines = 40) => string.Join(Environment.NewLine, _process.Output.TakeLast(lines));

    /// <summary>The silo process's id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>True once the silo process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The silo process's resident memory now, in bytes (VmRSS).</summary>
    public long ResidentBytes() => ProcessMemory.ResidentBytes(_process.Id);

    /// <summary>The active members this silo sees (<c>/cluster/members</c>), by API base address (<c>http://host:port/</c>).</summary>
    public async Task<string[]> ActiveMembersAsync(HttpClient http) =>
        [.. (await http.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(new Uri(BaseAddress, "cluster/members")) ?? [])
            .Where(m => m!["status"]!.GetValue<string>() == "Active")
            .Select(m => $"http://{m!["address"]!.GetValue<string>()}/")];

    /// <summary>The Orleans gateway port clients connect to.</summary>
    public int GatewayPort { get; init; }

    /// <summary>The port its DNS server listens on (UDP and TCP), on the silo's DNS address (127.0.0.1 embedded, its advertised address in a cluster).</summary>
    public int DnsPort { get; init; }

    /// <summary>The silo's output so far.</summary>
    public IReadOnlyCollection<string> Output => _process.Output;

    /// <summary>Starts a silo with its own temporary data directory and waits until it listens.</summary>
    public static async Task<SiloProcess> StartAsync(params string[] extraArguments)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("dcos-silo-").FullName;

        // Silo processes of tests running side by side each get their embedded agent its own host-port range, so
        // their tasks never race for the same port.
        var ports = extraArguments.Any(a => a.StartsWith("--Daemon:Resources", StringComparison.Ordinal))
            ? []
            : new[] { $"--Daemon:Resources=ports:[{NextPortRange()}]" };
        // Free ports for the API and Orleans (silo, gateway) unless given: silos of tests running side by side must not
        // meet on the defaults (8080, 11111, 30000).
        string[] urls = extraArguments.Contains("--urls") ? [] : ["--urls", $"http://127.0.0.1:{FreePort.Next()}"];
        var orleans = new List<string>();
        if (!extraArguments.Any(a => a.StartsWith("--Silo:SiloPort", StringComparison.Ordinal)))
        {
            orleans.Add($"--Silo:SiloPort={FreePort.Next()}");
        }

        var given = extraArguments.FirstOrDefault(a => a.StartsWith("--Silo:GatewayPort=", StringComparison.Ordinal));
        var gatewayPort = given is null ? FreePort.Next() : int.Parse(given["--Silo:GatewayPort=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        if (given is null)
        {
            orleans.Add($"--Silo:GatewayPort={gatewayPort}");
        }

        var givenDns = extraArguments.FirstOrDefault(a => a.StartsWith("--Discovery:Port=", StringComparison.Ordinal));
        var dnsPort = givenDns is null ? FreePort.Next() : int.Parse(givenDns["--Discovery:Port=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        if (givenDns is null)
        {
            orleans.Add($"--Discovery:Port={dnsPort}");
        }

        string[] arguments = [.. urls, $"--Silo:DataDirectory={dataDirectory}", .. ports, .. orleans, .. extraArguments];
        var process = StartRaw(arguments);
        try
        {
            var line = await process.WaitForLineAsync("Now listening on:", TimeSpan.FromSeconds(60));
            var url = line[(line.IndexOf("http", StringComparison.Ordinal))..].Trim();
            return new SiloProcess(process, new Uri(url.TrimEnd('/') + "/"), dataDirectory, arguments) { GatewayPort = gatewayPort, DnsPort = dnsPort };
        }
        catch
        {
            await process.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    private static int _portBlock = Random.Shared.Next(0, 100);

    /// <summary>
    /// A block of 100 host ports in 10000–19999 not handed to another silo of this test run (below the kernel's
    /// ephemeral range, and apart from <see cref="FreePort"/>'s 20000–29999).
    /// </summary>
    private static string NextPortRange()
    {
        var block = Interlocked.Increment(ref _portBlock) % 100;
        var first = 10000 + (block * 100);
        return $"{first}-{first + 99}";
    }

    /// <summary>
    /// Starts a cluster-mode silo on <paramref name="host"/> (a 127.0.0.x address, free ports) joining <paramref name="clusterId"/> on
    /// PostgreSQL. Login and TLS are off (<see cref="Plain"/>) unless <paramref name="extraArguments"/> turn them on: the
    /// security tests do, every other test exercises its own area.
    /// </summary>
    public static Task<SiloProcess> StartClusterMemberAsync(string host, string connectionString, string clusterId, params string[] extraArguments) =>
        StartAsync(["--urls", $"http://{host}:{FreePort.Next()}", "--Silo:Mode=Cluster", $"--Silo:PostgresConnectionString={connectionString}", $"--Silo:ClusterId={clusterId}", .. Plain, .. extraArguments]);

    /// <summary>The arguments that turn login and TLS off in cluster mode (later <c>--Security:…</c> arguments win).</summary>
    public static readonly string[] Plain = ["--Security:Authentication=false", "--Security:Insecure=true"];

    /// <summary>Starts the silo with exactly <paramref name="arguments"/> and does not wait for anything.</summary>
    public static ChildProcess StartRaw(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var output = RepositoryLayout.OutputOf("Silo");
        var dll = Path.Combine(output, "OrleansDcos.Silo.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build the solution first: {dll} is missing");
        }

        return ChildProcess.Start("dotnet", [dll, .. arguments], workingDirectory: output, environment);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await AgentLeftovers.RemoveAsync(Path.Combine(_dataDirectory, "agent"));
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
