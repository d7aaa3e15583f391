namespace OrleansDcos.Silo.Hosting;

/// <summary>How the silo stores its state and finds its peers.</summary>
public enum SiloMode
{
    /// <summary>A single silo with SQLite-file state and in-memory membership: no PostgreSQL needed.</summary>
    Embedded,

    /// <summary>One of several silos sharing a PostgreSQL database for membership and state.</summary>
    Cluster,
}
