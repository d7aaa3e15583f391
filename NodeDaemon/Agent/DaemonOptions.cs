namespace OrleansDcos.NodeDaemon.Agent;

/// <summary>Settings of a node daemon (configuration section <c>Daemon</c>; environment <c>DCOS_Daemon__WorkDirectory=…</c>).</summary>
public sealed class DaemonOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Daemon";

    /// <summary>Silo gateways to enroll through, tried in turn when one dies (<c>http://10.0.0.1:8080</c>).</summary>
    public List<Uri> Gateways { get; set; } = [];

    /// <summary>
    /// The join token an operator made (<c>POST /acs/api/v1/join-tokens</c>) when login is on — presented once; the agent
    /// credential the master then hands out is kept in the work directory and presented after — or the master's
    /// <c>Master:AgentToken</c> when login is off; none for a loopback-only embedded cluster.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>The cluster CA's certificate (PEM) for <c>https://</c> gateways: the silos' certificates must chain to it.</summary>
    public string? CaFile { get; set; }

    /// <summary>Where sandboxes, journals and checkpoints live. Default <c>/var/lib/orleansdcos/agent</c>.</summary>
    public string WorkDirectory { get; set; } = "/var/lib/orleansdcos/agent";

    /// <summary>The agent's id; default: made once and kept in the work directory.</summary>
    public string? AgentId { get; set; }

    /// <summary>The hostname reported (HOST of tasks). Default: the machine's name.</summary>
    public string? Hostname { get; set; }

    /// <summary>Attributes, Mesos syntax (<c>rack:r1;zone:a</c>).</summary>
    public string Attributes { get; set; } = "";

    /// <summary>Resources, Mesos syntax; each named resource replaces the detected one (<c>cpus:2;ports:[31000-31010]</c>).</summary>
    public string? Resources { get; set; }

    /// <summary>The cgroup file system root. Default <c>/sys/fs/cgroup</c>.</summary>
    public string CgroupRoot { get; set; } = "/sys/fs/cgroup";

    /// <summary>The port the agent advertises (Mesos' <c>--port</c>; offers carry it in their <c>url</c>). Default 5051.</summary>
    public int Port { get; set; } = 5051;

    /// <summary>
    /// The address the node daemon host serves its HTTP endpoints on (<c>/metrics</c>, <c>/health</c>), at
    /// <see cref="Port"/>. Default <c>127.0.0.1</c>; a machine scraped from elsewhere sets its own address (or <c>0.0.0.0</c>).
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The agent's fault-domain region (offers' <c>domain</c>, Marathon's <c>@region</c>); set with <see cref="Zone"/>.</summary>
    public string? Region { get; set; }

    /// <summary>The agent's fault-domain zone (Marathon's <c>@zone</c>); set with <see cref="Region"/>.</summary>
    public string? Zone { get; set; }

    /// <summary>How long an ended task's sandbox is kept (Mesos' <c>--gc_delay</c>). Default 7 days.</summary>
    public TimeSpan GcDelay { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Free disk fraction to keep (Mesos' <c>--gc_disk_headroom</c>): sandboxes go sooner as the disk fills. Default 0.1.</summary>
    public double GcDiskHeadroom { get; set; } = 0.1;

    /// <summary>How often sandboxes are looked at (Mesos' <c>--disk_watermark_gc_interval</c>). Default 1 minute.</summary>
    public TimeSpan GcInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often running tasks' sandboxes and persistent volumes are measured against their disk (Mesos'
    /// <c>--container_disk_watch_interval</c> with <c>--enforce_container_disk_quota</c>); a task over its disk is killed
    /// and FAILED with REASON_CONTAINER_LIMITATION_DISK. Default 15 s; zero turns the check off.
    /// </summary>
    public TimeSpan DiskCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The Docker Engine socket; Docker tasks run when it answers. Default <c>/var/run/docker.sock</c>.</summary>
    public string DockerSocket { get; set; } = "/var/run/docker.sock";

    /// <summary>Throws, naming every problem, when a setting is unusable.</summary>
    /// <exception cref="ArgumentException">Some setting is unusable.</exception>
    public void Validate()
    {
        if (Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
    }

    /// <summary>What is wrong with the settings, each naming the setting and its value; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (CaFile is not null && !File.Exists(CaFile))
        {
            problems.Add($"Daemon:CaFile '{CaFile}' does not exist");
        }

        if (Gateways.Count == 0)
        {
            problems.Add("Daemon:Gateways must name at least one silo gateway (http://host:port)");
        }

        if (Gateways.FirstOrDefault(g => !g.IsAbsoluteUri || g.Scheme is not ("http" or "https")) is { } bad)
        {
            problems.Add($"Daemon:Gateways: '{bad}' is not an http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(WorkDirectory))
        {
            problems.Add("Daemon:WorkDirectory is required");
        }

        if (Port is < 1 or > 65535)
        {
            problems.Add($"Daemon:Port must be a port number (is {Port})");
        }

        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
        {
            problems.Add($"Daemon:ListenAddress must be an IP address (is '{ListenAddress}')");
        }

        if (DiskCheckInterval < TimeSpan.Zero)
        {
            problems.Add($"Daemon:DiskCheckInterval must not be negative (is {DiskCheckInterval})");
        }

        if (GcDelay < TimeSpan.Zero || GcInterval <= TimeSpan.Zero || GcDiskHeadroom is < 0 or > 1)
        {
            problems.Add($"Daemon:GcDelay must not be negative, Daemon:GcInterval positive and Daemon:GcDiskHeadroom within 0–1 (are {GcDelay}, {GcInterval}, {GcDiskHeadroom})");
        }

        if (string.IsNullOrWhiteSpace(Region) != string.IsNullOrWhiteSpace(Zone))
        {
            problems.Add("Daemon:Region and Daemon:Zone make a fault domain together: set both or neither");
        }

        return problems;
    }
}
