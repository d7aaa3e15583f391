using System.Diagnostics;

namespace OrleansDcos.Tests.Support;

/// <summary>The built <c>dcos</c> CLI run as its own process, with its own configuration directory (<c>DCOS_DIR</c>).</summary>
public sealed class CliProcess : IDisposable
{
    private readonly TempDirectory _config = new();

    /// <summary>The CLI's configuration directory.</summary>
    public string ConfigDirectory => _config.Path;

    /// <summary>The command and leading arguments that start the CLI (<c>dotnet …/dcos.dll</c>).</summary>
    public static (string FileName, string[] Arguments) Command
    {
        get
        {
            var dll = Path.Combine(RepositoryLayout.OutputOf(Path.Combine("Client", "Cli")), "dcos.dll");
            if (!File.Exists(dll))
            {
                throw new FileNotFoundException($"build the solution first: {dll} is missing");
            }

            return ("dotnet", [dll]);
        }
    }

    /// <summary>
    /// Runs <c>dcos <paramref name="arguments"/></c> to its end (at most <paramref name="timeout"/>, default 2 minutes), feeding
    /// <paramref name="input"/> to its standard input, with <paramref name="environment"/> added to its environment.
    /// </summary>
    public async Task<CliResult> RunAsync(IEnumerable<string> arguments, string? input = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (fileName, leading) = Command;
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in leading.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DCOS_DIR"] = ConfigDirectory;
        info.Environment.Remove("DCOS_URL");
        info.Environment.Remove("DCOS_TOKEN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dcos did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dcos {string.Join(' ', arguments)} did not end in time:\n{await output}\n{await error}");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts <c>dcos <paramref name="arguments"/></c> and leaves it running (for <c>--follow</c>).</summary>
    public ChildProcess Start(IEnumerable<string> arguments)
    {
        var (fileName, leading) = Command;
        return ChildProcess.Start(fileName, [.. leading, .. arguments], environment: new Dictionary<string, string> { ["DCOS_DIR"] = ConfigDirectory });
    }

    /// <inheritdoc />
    public void Dispose() => _config.Dispose();
}
