using Npgsql;

namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// A PostgreSQL server of one test's own (initdb into a temporary directory, loopback, a free port), so that the test
/// may stop it like a crash and start it again without touching the provisioned server other tests share. Runs as the
/// <c>postgres</c> user when the test runs as root (the server refuses root).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _directory;
    private readonly string _data;
    private readonly int _port;

    private PostgresServer(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        _data = Path.Combine(directory, "data");
        _port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = "postgres",
            MaxPoolSize = 200,
            GssEncryptionMode = GssEncryptionMode.Disable,
        }.ConnectionString;
    }

    /// <summary>The connection string (trust authentication on loopback: the server lives only for the test).</summary>
    public string ConnectionString { get; }

    /// <summary>Creates and starts a server.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version(0, 0)).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql: run infra/provision.sh");
        }

        var server = new PostgresServer(bin, Directory.CreateTempSubdirectory("dcos-pg-").FullName, FreePort.Next());
        try
        {
            if (Environment.UserName == "root")
            {
                await RunAsync("chown", ["-R", "postgres", server._directory], cancellationToken);
            }

            await server.AsServerUserAsync("initdb", ["-D", server._data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], cancellationToken);
            await File.AppendAllTextAsync(Path.Combine(server._data, "postgresql.conf"),
                $"listen_addresses = '127.0.0.1'\nport = {server._port}\nunix_socket_directories = '{server._directory}'\nmax_connections = 300\nfsync = on\n", cancellationToken);
            await server.StartServerAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server as a crash does (<c>pg_ctl stop -m immediate</c>: no checkpoint, recovery at the next start).</summary>
    public Task CrashAsync(CancellationToken cancellationToken = default) =>
        AsServerUserAsync("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"], cancellationToken);

    /// <summary>Starts the stopped server again and waits until it accepts connections.</summary>
    public Task StartServerAsync(CancellationToken cancellationToken = default) =>
        AsServerUserAsync("pg_ctl", ["-D", _data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "start"], cancellationToken);

    private Task AsServerUserAsync(string tool, string[] arguments, CancellationToken cancellationToken) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments], cancellationToken)
            : RunAsync(Path.Combine(_bin, tool), arguments, cancellationToken);

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var (code, output, error) = await ChildProcess.RunAsync(file, arguments, cancellationToken);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments.Take(3))} failed ({code}): {error}{output}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(_data, "postmaster.pid")))
        {
            try
            {
                await CrashAsync();
            }
            catch (InvalidOperationException)
            {
                // Not running.
            }
        }

        Directory.Delete(_directory, recursive: true);
    }
}
