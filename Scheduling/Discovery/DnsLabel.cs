using System.Text;

namespace OrleansDcos.Scheduling.Discovery;

/// <summary>
/// Names made DNS labels as Mesos-DNS makes them (its naming rules, RFC 1123): letters lowered, <c>-</c>, <c>.</c>
/// and <c>_</c> become <c>-</c>, every other character is dropped, no leading or trailing <c>-</c>, at most 63
/// characters. A framework name may hold dots: each part becomes a label of its own.
/// </summary>
public static class DnsLabel
{
    /// <summary>The longest label (RFC 1123).</summary>
    public const int MaxLength = 63;

    /// <summary>The label of <paramref name="name"/>; empty when nothing of it is usable.</summary>
    public static string Of(string name)
    {
        var label = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var c in name)
        {
            var mapped = c switch
            {
                >= 'A' and <= 'Z' => (char)(c + ('a' - 'A')),
                (>= 'a' and <= 'z') or (>= '0' and <= '9') => c,
                '-' or '.' or '_' => '-',
                _ => '\0',
            };
            if (mapped == '\0' || (mapped == '-' && label.Length == 0))
            {
                continue;
            }

            label.Append(mapped);
            if (label.Length == MaxLength)
            {
                break;
            }
        }

        return label.ToString().TrimEnd('-');
    }

    /// <summary>A dotted name as labels joined by dots (empty labels left out): a framework's part of a domain name.</summary>
    public static string Fragment(string name) =>
        string.Join('.', name.Split('.').Select(Of).Where(label => label.Length > 0));
}
