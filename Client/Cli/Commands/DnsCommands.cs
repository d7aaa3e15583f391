using System.CommandLine;

namespace OrleansDcos.Cli.Commands;

/// <summary><c>dcos dns lookup</c>: a name as the cluster's DNS answers it, through Mesos-DNS' HTTP API.</summary>
public static class DnsCommands
{
    /// <summary>The <c>dns</c> command.</summary>
    public static Command Build(DcosCli cli)
    {
        var dns = new Command("dns", "Names the cluster's DNS serves");
        var name = new Argument<string>("name") { Description = "A host name (web.marathon.mesos) or an SRV name (_web._tcp.marathon.mesos)" };
        var lookup = new Command("lookup", "Addresses (or SRV targets and ports) of a name") { name };
        cli.Handle(lookup, async (p, s, ct) =>
        {
            var query = p.GetValue(name)!.Trim().TrimEnd('.');
            if (query.Length is 0 or > 253)
            {
                throw new CliException("a DNS name has 1 to 253 characters");
            }

            var service = query.StartsWith('_');
            var answer = await s.GetAsync((service ? "v1/services/" : "v1/hosts/") + ApiPaths.Segment(query), ct);
            var records = Cells.Objects(answer).Where(r => !string.IsNullOrEmpty(r[service ? "service" : "host"]?.ToString())).ToList();
            if (s.Json)
            {
                s.WriteJson(answer);
            }
            else if (records.Count == 0)
            {
                s.WriteLine($"{query}: no records");
            }
            else if (service)
            {
                s.WriteTable(["SERVICE", "HOST", "IP", "PORT"], records.Select(r => (IReadOnlyList<string>)[Cells.Text(r["service"]), Cells.Text(r["host"]), Cells.Text(r["ip"]), Cells.Text(r["port"])]));
            }
            else
            {
                s.WriteTable(["HOST", "IP"], records.Select(r => (IReadOnlyList<string>)[Cells.Text(r["host"]), Cells.Text(r["ip"])]));
            }

            return records.Count == 0 ? ExitCodes.Error : ExitCodes.Success;
        });
        dns.Subcommands.Add(lookup);
        return dns;
    }
}
