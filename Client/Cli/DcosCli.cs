using System.CommandLine;
using OrleansDcos.Cli.Commands;
using OrleansDcos.Client;

namespace OrleansDcos.Cli;

/// <summary>
/// The <c>dcos</c> command line: builds the verbs, resolves the cluster, prints one line per failure (exit 1) or per
/// usage error (exit 2), never a stack trace.
/// </summary>
public sealed class DcosCli
{
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly IReadOnlyDictionary<string, string?> _environment;

    private DcosCli(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?> environment)
    {
        _output = output;
        _error = error;
        _environment = environment;
    }

    /// <summary>The environment variables the CLI runs with (given, so tests pass their own).</summary>
    public IReadOnlyDictionary<string, string?> Environment => _environment;

    /// <summary><c>--json</c>: print the API's JSON instead of tables.</summary>
    public Option<bool> JsonOption { get; } = new("--json") { Description = "Print the API's JSON instead of a table", Recursive = true };

    /// <summary><c>--url</c>: the silo to talk to instead of the attached cluster.</summary>
    public Option<string?> UrlOption { get; } = new("--url") { Description = "A silo's URL, instead of the attached cluster (also DCOS_URL)", Recursive = true };

    /// <summary>Runs the command line <paramref name="args"/> and returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? environment = null)
    {
        environment ??= System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var cli = new DcosCli(output, error, environment);
        var root = cli.Build();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !args.Any(a => a is "-h" or "--help" or "-?"))
        {
            var command = string.Join(' ', Path(parsed.CommandResult));
            // An unknown word says more than the missing command it leaves behind.
            var first = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parsed.Errors[0];
            await error.WriteLineAsync($"dcos: {first.Message} (see `{command} --help`)");
            return ExitCodes.Usage;
        }

        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += cancel;
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, interrupt.Token);
        }
        finally
        {
            Console.CancelKeyPress -= cancel;
        }
    }

    /// <summary>Sets <paramref name="command"/>'s action: opens a session, runs <paramref name="action"/>, turns failures into one line.</summary>
    public void Handle(Command command, Func<ParseResult, CliSession, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parsed, cancellationToken) =>
        {
            Uri? cluster = null;
            try
            {
                var configDirectory = ClusterConfig.Directory(_environment);
                (cluster, var token) = ResolveCluster(parsed.GetValue(UrlOption), configDirectory);
                using var session = new CliSession(cluster, parsed.GetValue(JsonOption), _output, _error, configDirectory, TimeSpan.FromSeconds(30), token);
                return await action(parsed, session, cancellationToken);
            }
            catch (CliException ex)
            {
                return Fail(ex.Message);
            }
            catch (DcosApiException ex)
            {
                return Fail(ErrorText.Of(ex));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return Fail("interrupted");
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or TimeoutException or IOException && cluster is not null)
            {
                return Fail(ErrorText.Unreachable(cluster!, ex));
            }
        });

    private int Fail(string message)
    {
        _error.WriteLine("dcos: " + message);
        return ExitCodes.Error;
    }

    /// <summary>The cluster to talk to (<c>--url</c>, <c>DCOS_URL</c>, or the attached one) and its token (<c>DCOS_TOKEN</c>, or the attached cluster's login when the URL is its).</summary>
    private (Uri? Cluster, string? Token) ResolveCluster(string? url, string configDirectory)
    {
        url ??= _environment.GetValueOrDefault("DCOS_URL");
        var attached = ClusterConfig.Load(configDirectory).AttachedCluster();
        if (string.IsNullOrWhiteSpace(url))
        {
            url = attached?.Url;
        }

        var cluster = url is null ? null : ClusterUrl.Parse(url);
        var token = _environment.GetValueOrDefault("DCOS_TOKEN") is { Length: > 0 } given ? given
            : attached is not null && cluster is not null && ClusterUrl.Parse(attached.Url) == cluster ? attached.Token
            : null;
        return (cluster, token);
    }

    private RootCommand Build()
    {
        var root = new RootCommand("OrleansDcos: drive a cluster — nodes, Marathon apps and deployments, tasks and their logs, jobs, DNS.");
        root.Options.Add(JsonOption);
        root.Options.Add(UrlOption);
        root.Subcommands.Add(ClusterCommands.Build(this));
        root.Subcommands.Add(AuthCommands.Build(this));
        root.Subcommands.Add(TlsCommands.Build(this));
        root.Subcommands.Add(NodeCommands.Build(this));
        root.Subcommands.Add(MarathonCommands.Build(this));
        root.Subcommands.Add(JobCommands.Build(this));
        root.Subcommands.Add(PackageCommands.Build(this));
        root.Subcommands.Add(TaskCommands.Build(this));
        root.Subcommands.Add(ServiceCommands.Build(this));
        root.Subcommands.Add(DnsCommands.Build(this));
        return root;
    }

    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(current.Parent is null ? "dcos" : current.Command.Name);
        }

        return names;
    }
}
