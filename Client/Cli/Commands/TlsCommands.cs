using System.CommandLine;
using System.Net;
using OrleansDcos.Scheduling.Security;

namespace OrleansDcos.Cli.Commands;

/// <summary>
/// <c>dcos tls init|issue</c>: a cluster CA for a test or small cluster, and the silo and agent certificates it signs
/// (PEM files, keys readable by their owner only), for <c>Security:Tls</c> and <c>Daemon:CaFile</c>.
/// </summary>
public static class TlsCommands
{
    /// <summary>The <c>tls</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var tls = new Command("tls", "Make a cluster CA and the certificates of silos and agents");

        var directory = new Option<string>("--dir") { Description = "Where the CA and certificates are kept", Required = true };
        var caName = new Option<string>("--name") { Description = "The CA's name", DefaultValueFactory = _ => "OrleansDcos cluster CA" };
        var init = new Command("init", "Make the cluster CA (ca.crt, ca.key) in --dir") { directory, caName };
        cli.Handle(init, (p, s, ct) =>
        {
            var dir = Directory.CreateDirectory(p.GetValue(directory)!).FullName;
            if (File.Exists(Path.Combine(dir, "ca.key")))
            {
                throw new CliException($"{dir} already holds a CA (ca.key): certificates it signed would stop being trusted");
            }

            using var ca = CertificateAuthority.Create(p.GetValue(caName)!, DateTimeOffset.UtcNow);
            Write(dir, "ca", ca);
            s.WriteLine($"cluster CA made: {Path.Combine(dir, "ca.crt")} (give it to silos as Security:Tls:CaFile and to agents as Daemon:CaFile)");
            return Task.FromResult(ExitCodes.Success);
        });

        var name = new Option<string>("--name") { Description = "The silo's or agent's name (file names and certificate CN)", Required = true };
        var ips = new Option<string[]>("--ip") { Description = "An IP address it is reached on (repeat for more)", AllowMultipleArgumentsPerToken = true };
        var hosts = new Option<string[]>("--dns") { Description = "A DNS name it is reached on (repeat for more)", AllowMultipleArgumentsPerToken = true };
        var issue = new Command("issue", "Issue a certificate signed by the cluster CA in --dir") { directory, name, ips, hosts };
        cli.Handle(issue, (p, s, ct) =>
        {
            var dir = Path.GetFullPath(p.GetValue(directory)!);
            var who = p.GetValue(name)!;
            if (who.Length is 0 or > 64 || !who.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || who == "ca")
            {
                throw new CliException($"'{who}' is not a usable name (1 to 64 letters, digits, '-', '_', '.'; not 'ca')");
            }

            var addresses = new List<IPAddress>();
            foreach (var text in p.GetValue(ips) ?? [])
            {
                addresses.Add(IPAddress.TryParse(text, out var address) ? address : throw new CliException($"'{text}' is not an IP address"));
            }

            if (!File.Exists(Path.Combine(dir, "ca.key")))
            {
                throw new CliException($"no CA in {dir}: run `dcos tls init --dir {dir}` first");
            }

            using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path.Combine(dir, "ca.crt"), Path.Combine(dir, "ca.key"));
            using var certificate = CertificateAuthority.Issue(ca, who, addresses, p.GetValue(hosts) ?? [], DateTimeOffset.UtcNow);
            Write(dir, who, certificate);
            s.WriteLine($"certificate of '{who}': {Path.Combine(dir, who + ".crt")} and {Path.Combine(dir, who + ".key")}");
            return Task.FromResult(ExitCodes.Success);
        });

        tls.Subcommands.Add(init);
        tls.Subcommands.Add(issue);
        return tls;
    }

    private static void Write(string directory, string name, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        File.WriteAllText(Path.Combine(directory, name + ".crt"), CertificateAuthority.CertificatePem(certificate));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(Path.Combine(directory, name + ".key"), options);
        using var writer = new StreamWriter(stream);
        writer.Write(CertificateAuthority.KeyPem(certificate));
    }
}
