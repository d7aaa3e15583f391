namespace OrleansDcos.Silo.Hosting;

/// <summary>
/// Settings of the silo host, bound from the <c>Silo</c> section (appsettings.json, or
/// <c>DCOS_Silo__ClusterId=…</c> style environment variables) and validated at start.
/// </summary>
public sealed class SiloOptions
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

    /// <summary>Runs a node daemon inside the silo that enrolls itself (default: in embedded mode only).</summary>
    public bool? EmbeddedAgent { get; set; }

    /// <summary>The URL the silo listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> is given.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";
}
