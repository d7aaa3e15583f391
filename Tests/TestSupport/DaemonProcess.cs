using System.Diagnostics;

namespace OrleansDcos.Tests.Support;

/// <summary>The built node daemon (<c>dotnet OrleansDcos.NodeDaemon.Host.dll</c>) as its own process, over a work directory that outlives it.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private readonly string _workDirectory;

    private DaemonProcess(ChildProcess process, string workDirectory, int port)
    {
        _process = process;
        _workDirectory = workDirectory;
        HttpAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    /// <summary>Where the daemon serves <c>/metrics</c> and <c>/health</c> (its <c>Daemon:Port</c>, a free one unless given).</summary>
    public Uri HttpAddress { get; }

    /// <summary>The daemon's pid.</summary>
    public int Id => _process.Id;

    /// <summary>Its output so far.</summary>
    public IReadOnlyCollection<string> Output => _process.Output;

    /// <summary>Starts a daemon enrolling through <paramref name="gateway"/> with its state in <paramref name="workDirectory"/>; waits until it registered.</summary>
    public static Task<DaemonProcess> StartAsync(Uri gateway, string workDirectory, string resources, params string[] extraArguments) =>
        StartAsync(gateway, workDirectory, resources, "registered through", extraArguments);

    /// <summary>As <see cref="StartAsync(Uri, string, string, string[])"/>, but waits only until it tried to link (for a daemon the master is to refuse).</summary>
    public static Task<DaemonProcess> StartRefusedAsync(Uri gateway, string workDirectory, string resources, params string[] extraArguments) =>
        StartAsync(gateway, workDirectory, resources, "agent link to", extraArguments);

    private static async Task<DaemonProcess> StartAsync(Uri gateway, string workDirectory, string resources, string waitFor, string[] extraArguments)
    {
        var output = RepositoryLayout.OutputOf("NodeDaemon.Host");
        var dll = Path.Combine(output, "OrleansDcos.NodeDaemon.Host.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"build the solution first: {dll} is missing");
        }

        // Daemons of tests running side by side each serve their HTTP endpoints on a port of their own.
        var givenPort = extraArguments.FirstOrDefault(a => a.StartsWith("--Daemon:Port=", StringComparison.Ordinal));
        var port = givenPort is null ? FreePort.Next() : int.Parse(givenPort["--Daemon:Port=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        string[] portArgument = givenPort is null ? [$"--Daemon:Port={port}"] : [];
        var process = ChildProcess.Start("dotnet", [dll, $"--Daemon:Gateways:0={gateway}", $"--Daemon:WorkDirectory={workDirectory}", $"--Daemon:Resources={resources}", .. portArgument, .. extraArguments], workingDirectory: output);
        try
        {
            await process.WaitForLineAsync(waitFor, TimeSpan.FromSeconds(60));
            return new DaemonProcess(process, workDirectory, port);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits for a line of the daemon's output containing <paramref name="text"/>.</summary>
    public Task<string> WaitForOutputAsync(string text, TimeSpan timeout) => _process.WaitForLineAsync(text, timeout);

    /// <summary><c>kill -9</c> of the daemon alone: its tasks (other sessions, own cgroups) keep running.</summary>
    public async Task KillHardAsync()
    {
        using var process = Process.GetProcessById(_process.Id);
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>Stops the daemon and everything it started, and removes its cgroups.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        await AgentLeftovers.RemoveAsync(_workDirectory);
    }
}
