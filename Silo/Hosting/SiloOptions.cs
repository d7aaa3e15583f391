namespace OrleansDcos.Silo.Hosting;

/// <summary>
/// Settings of the silo host, bound from the <c>Silo</c> section (appsettings.json, or
/// <c>DCOS_Silo__ClusterId=…</c> style environment variables) and validated at start.
/// </summary>
public sealed partial class SiloOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Silo";

    /// <summary>The cluster this silo belongs to: 1–63 of <c>a-z 0-9 -</c>. Default <c>dcos</c>.</summary>
    public string ClusterId { get; set; } = "dcos";

    /// <summary><see cref="SiloMode.Embedded"/> (default) or <see cref="SiloMode.Cluster"/>.</summary>
    public SiloMode Mode { get; set; } = SiloMode.Embedded;

    /// <summary>Where embedded mode keeps its SQLite file; relative paths are under the content root. Default <c>data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL connection string; required in cluster mode, ignored in embedded mode.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The port silos talk to each other on (Orleans' silo port). Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients connect to (Orleans' gateway port). Default 30000, so a client with a bare <c>UseLocalhostClustering()</c> finds the embedded silo.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// The address other silos and clients reach this one on. Default: the host of the first listening URL when it is an
    /// IP address (so <c>--urls http://127.0.0.2:8080</c> makes a silo of 127.0.0.2), else 127.0.0.1. A cluster silo
    /// listens on this address only, so silos on 127.0.0.2, .3 and .4 of one machine share the same ports.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>The service whose grain state, reminders and events the database holds (several can share one). Default <c>dcos</c>.</summary>
    public string ServiceId { get; set; } = "dcos";

    /// <summary>Runs a node daemon inside the silo that enrolls itself (default: in embedded mode only).</summary>
    public bool? EmbeddedAgent { get; set; }

    /// <summary>
    /// How long a grain (an app, a job, a framework…) stays active with no call before Orleans deactivates it and frees
    /// its memory (its state stays saved): 2 s to 1 day, default 15 minutes (Orleans' own). The collector looks every
    /// minute, or every half of a shorter age.
    /// </summary>
    public TimeSpan GrainCollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the collector looks for idle grains: every minute, or every half of a <see cref="GrainCollectionAge"/> under two minutes (Orleans wants the age above it).</summary>
    public TimeSpan GrainCollectionQuantum => TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(1).Ticks, GrainCollectionAge.Ticks / 2));

    /// <summary>The URL the silo listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>What is wrong with the settings, each naming the setting and its value; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!ClusterIdPattern().IsMatch(ClusterId ?? string.Empty))
        {
            problems.Add($"Silo:ClusterId '{ClusterId}' is invalid: use 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("Silo:DataDirectory is empty: give a directory for the embedded SQLite state");
        }

        if (Mode == SiloMode.Cluster && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            problems.Add("Silo:PostgresConnectionString is required when Silo:Mode is Cluster");
        }

        foreach (var (setting, port) in new[] { (nameof(SiloOptions.SiloPort), SiloPort), (nameof(SiloOptions.GatewayPort), GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                problems.Add($"Silo:{setting} '{port}' is invalid: use a TCP port from 1 to 65535");
            }
        }

        if (SiloPort == GatewayPort)
        {
            problems.Add($"Silo:SiloPort and Silo:GatewayPort are both {SiloPort}: give them different ports");
        }

        if (AdvertisedAddress is { } advertised && !System.Net.IPAddress.TryParse(advertised, out _))
        {
            problems.Add($"Silo:AdvertisedAddress '{advertised}' is not an IP address");
        }

        if (!ClusterIdPattern().IsMatch(ServiceId ?? string.Empty))
        {
            problems.Add($"Silo:ServiceId '{ServiceId}' is invalid: use 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        }

        if (GrainCollectionAge < TimeSpan.FromSeconds(2) || GrainCollectionAge > TimeSpan.FromDays(1))
        {
            problems.Add($"Silo:GrainCollectionAge '{GrainCollectionAge}' is invalid: use a duration from 00:00:02 to 1.00:00:00");
        }

        if (!Enum.IsDefined(Mode))
        {
            problems.Add($"Silo:Mode '{Mode}' is invalid: use Embedded or Cluster");
        }

        return problems;
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex ClusterIdPattern();
}
