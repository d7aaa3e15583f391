namespace OrleansDcos.Tests.Support.Discovery;

/// <summary>Asks a DNS server with dnsutils' <c>dig</c> (the real client operators use), and reads its answer.</summary>
/// <param name="server">The server's address.</param>
/// <param name="port">Its port.</param>
public sealed class Dig(string server, int port)
{
    /// <summary>One resource record of a section, as dig prints it: name, type and data (TTL and class left out).</summary>
    public sealed record Record(string Name, string Type, string Data);

    /// <summary>What dig printed of an answer: its status (NOERROR, NXDOMAIN, …), flags and sections.</summary>
    public sealed record Answer(string Status, IReadOnlyList<string> Flags, IReadOnlyList<Record> Answers, IReadOnlyList<Record> Authority, IReadOnlyList<Record> Additional, string Output);

    /// <summary>
    /// Asks for <paramref name="name"/> of <paramref name="type"/>; over TCP with <paramref name="tcp"/>; without EDNS (so
    /// UDP answers stop at 512 bytes) with <paramref name="noEdns"/>; keeping a truncated UDP answer instead of asking
    /// again over TCP with <paramref name="noTcpFallback"/>.
    /// </summary>
    public async Task<Answer> AskAsync(string name, string type = "A", bool tcp = false, bool noEdns = false, bool noTcpFallback = false)
    {
        var arguments = new List<string> { $"@{server}", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), name, type, "+tries=1", "+time=3", "+noall", "+comments", "+answer", "+authority", "+additional" };
        if (tcp)
        {
            arguments.Add("+tcp");
        }

        if (noEdns)
        {
            arguments.Add("+noedns");
        }

        if (noTcpFallback)
        {
            arguments.Add("+ignore");
        }

        var (_, output, error) = await ChildProcess.RunAsync(TestEnvironment.DigPath ?? "dig", arguments);
        return Parse(output + error);
    }

    private static Answer Parse(string output)
    {
        var status = "";
        var flags = new List<string>();
        var sections = new Dictionary<string, List<Record>>(StringComparer.Ordinal) { ["ANSWER"] = [], ["AUTHORITY"] = [], ["ADDITIONAL"] = [] };
        List<Record>? current = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Contains("status: ", StringComparison.Ordinal))
            {
                status = line[(line.IndexOf("status: ", StringComparison.Ordinal) + 8)..].Split(',')[0].Trim();
            }
            else if (line.StartsWith(";; flags:", StringComparison.Ordinal))
            {
                flags.AddRange(line[9..].Split(';')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            else if (line.StartsWith(";; ", StringComparison.Ordinal) && line.EndsWith("SECTION:", StringComparison.Ordinal))
            {
                current = sections.GetValueOrDefault(line[3..].Split(' ')[0]);
            }
            else if (line.Length == 0 || line.StartsWith(';'))
            {
                current = line.Length == 0 ? null : current;
            }
            else if (current is not null)
            {
                var parts = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 5)
                {
                    current.Add(new Record(parts[0], parts[3], string.Join(' ', parts[4..])));
                }
            }
        }

        return new Answer(status, flags, sections["ANSWER"], sections["AUTHORITY"], sections["ADDITIONAL"], output);
    }
}
