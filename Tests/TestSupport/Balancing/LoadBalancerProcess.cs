namespace OrleansDcos.Tests.Support.Balancing;

/// <summary>The built load balancer (<c>dotnet OrleansDcos.LoadBalancer.dll</c>) running the provisioned haproxy, bound to 127.0.0.1.</summary>
public sealed class LoadBalancerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly TempDirectory _work;

    private LoadBalancerProcess(ChildProcess process, TempDirectory work, int httpPort, int statsPort)
    {
        _process = process;
        _work = work;
        HttpPort = httpPort;
        StatsPort = statsPort;
    }

    /// <summary>The virtual hosts' shared HTTP frontend port.</summary>
    public int HttpPort { get; }

    /// <summary>The stats page and health-check port.</summary>
    public int StatsPort { get; }

    /// <summary>Its output so far.</summary>
    public IReadOnlyCollection<string> Output => _process.Output;

    /// <summary>The configuration haproxy runs now (empty before the first).</summary>
    public string RunningConfig => File.Exists(Path.Combine(_work.Path, "haproxy.cfg")) ? File.ReadAllText(Path.Combine(_work.Path, "haproxy.cfg")) : string.Empty;

    /// <summary>Starts a load balancer of <paramref name="group"/> following the silos at <paramref name="silos"/>, with <paramref name="extraArguments"/> (<c>--LoadBalancer:…=</c>).</summary>
    public static async Task<LoadBalancerProcess> StartAsync(IEnumerable<Uri> silos, string group = "external", params string[] extraArguments)
    {
        TestEnvironment.Require(Component.Haproxy);
        var output = RepositoryLayout.OutputOf("LoadBalancer");
        var dll = Path.Combine(output, "OrleansDcos.LoadBalancer.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build the solution first: {dll} is missing");
        }

        var work = new TempDirectory();
        var (httpPort, statsPort) = (FreePort.Next(), FreePort.Next());
        List<string> arguments =
        [
            dll, $"--LoadBalancer:Group={group}", "--LoadBalancer:BindAddress=127.0.0.1", $"--LoadBalancer:HttpPort={httpPort}",
            $"--LoadBalancer:StatsPort={statsPort}", $"--LoadBalancer:Haproxy={TestEnvironment.HaproxyPath}", $"--LoadBalancer:WorkDirectory={work.Path}",
            "--Logging:LogLevel:Default=Information",
        ];
        arguments.AddRange(silos.Select((silo, i) => $"--LoadBalancer:Silos:{i}={silo}"));
        arguments.AddRange(extraArguments);
        var process = ChildProcess.Start("dotnet", arguments, workingDirectory: output);
        try
        {
            await process.WaitForLineAsync("haproxy started", TimeSpan.FromSeconds(60));
            return new LoadBalancerProcess(process, work, httpPort, statsPort);
        }
        catch
        {
            await process.DisposeAsync();
            work.Dispose();
            throw;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of its output.</summary>
    public string OutputTail(int lines = 40) => string.Join('\n', _process.Output.TakeLast(lines));

    /// <summary>Stops it and its haproxy, and removes its work directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _work.Dispose();
    }
}
