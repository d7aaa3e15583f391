using OrleansDcos.Silo.Hosting;

namespace OrleansDcos.Silo.Security;

/// <summary>
/// Settings of authentication and authorization (section <c>Security</c>). Login is on by default in cluster mode and
/// off in embedded mode (a loopback-only single silo).
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Security";

    /// <summary>Requires a bearer token on every API (default: true in cluster mode, false embedded).</summary>
    public bool? Authentication { get; set; }

    /// <summary>How long a token issued at login is good for. Default 8 hours; at most 7 days.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The first superuser, made when the cluster has no identity yet (one time; ignored afterwards).</summary>
    public string? BootstrapUser { get; set; }

    /// <summary>The first superuser's password (only used with <see cref="BootstrapUser"/>, only while there is no identity).</summary>
    public string? BootstrapPassword { get; set; }

    /// <summary>Requests per second one principal (or one address, before login) may make to this silo; 0 for no limit. Default 200.</summary>
    public int RequestsPerSecond { get; set; } = 200;

    /// <summary>How many requests above the rate a principal may burst. Default 400.</summary>
    public int Burst { get; set; } = 400;

    /// <summary>The cluster key secrets are sealed with: 32 bytes in base64 (or see <see cref="ClusterKeyFile"/>); the same on every silo.</summary>
    public string? ClusterKey { get; set; }

    /// <summary>
    /// A file holding the cluster key (base64, made with <c>head -c 32 /dev/urandom | base64</c>). Default in embedded mode:
    /// <c>cluster.key</c> in the data directory, made at the first start; in cluster mode there is no default (without a
    /// key, secrets cannot be stored or used).
    /// </summary>
    public string? ClusterKeyFile { get; set; }

    /// <summary>TLS for the APIs, agent links, silos and clients.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>
    /// Allows a cluster-mode silo without TLS (plain HTTP and Orleans traffic). Default false: a cluster silo needs
    /// <see cref="Tls"/>. Embedded mode is plain and loopback only whatever this says.
    /// </summary>
    public bool Insecure { get; set; }

    /// <summary>What is wrong with these settings for a silo in <paramref name="mode"/> listening on <paramref name="api"/>.</summary>
    public IReadOnlyList<string> ModeProblems(SiloMode mode, Uri? api)
    {
        var problems = new List<string>();
        if (mode == SiloMode.Cluster && !Tls.Configured && !Insecure)
        {
            problems.Add("a cluster-mode silo needs TLS: give Security:Tls:CertificateFile, KeyFile and CaFile (dcos tls init / dcos tls issue make them), or Security:Insecure=true for plain traffic");
        }

        if (Tls.Configured && api is not null && api.Scheme != Uri.UriSchemeHttps)
        {
            problems.Add($"with Security:Tls the silo listens on https:// URLs only ({api} is not)");
        }

        return problems;
    }

    /// <summary>True when tokens are required with a silo in <paramref name="mode"/>.</summary>
    public bool Enforced(SiloMode mode) => Authentication ?? mode == SiloMode.Cluster;

    /// <summary>What is wrong with the settings.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TokenLifetime <= TimeSpan.Zero || TokenLifetime > TimeSpan.FromDays(7))
        {
            problems.Add($"Security:TokenLifetime '{TokenLifetime}' is invalid: use more than 0 and at most 7 days");
        }

        if ((BootstrapUser is null) != (BootstrapPassword is null))
        {
            problems.Add("Security:BootstrapUser and Security:BootstrapPassword go together: give both or neither");
        }
        else if (BootstrapUser is not null && Scheduling.Security.IdentityRules.UidProblem(BootstrapUser) is { } uidProblem)
        {
            problems.Add($"Security:BootstrapUser: {uidProblem}");
        }
        else if (BootstrapPassword is { Length: < 8 or > Scheduling.Security.PasswordHash.MaxPasswordLength })
        {
            problems.Add($"Security:BootstrapPassword is invalid: use 8 to {Scheduling.Security.PasswordHash.MaxPasswordLength} characters");
        }

        if (ClusterKey is not null && ClusterKeyFile is not null)
        {
            problems.Add("Security:ClusterKey and Security:ClusterKeyFile: give one of them, not both");
        }
        else if (ClusterKey is not null && !IsKey(ClusterKey))
        {
            problems.Add("Security:ClusterKey is not 32 bytes in base64");
        }

        if (RequestsPerSecond is < 0 or > 1_000_000)
        {
            problems.Add($"Security:RequestsPerSecond '{RequestsPerSecond}' is invalid: use 0 (no limit) to 1000000");
        }

        if (Burst is < 1 or > 10_000_000)
        {
            problems.Add($"Security:Burst '{Burst}' is invalid: use 1 to 10000000");
        }

        problems.AddRange(Tls.Problems());
        return problems;
    }

    /// <summary>True when <paramref name="text"/> is 32 bytes in base64.</summary>
    public static bool IsKey(string text)
    {
        var bytes = new byte[48];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var length) && length == 32;
    }
}
