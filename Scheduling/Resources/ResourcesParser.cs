using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// Reads the Mesos agent syntax: entries separated by <c>;</c>, each <c>name[(role)]:value</c>
/// where value is a scalar (<c>8</c>, <c>0.5</c>), ranges (<c>[31000-32000,33000-33005]</c>) or
/// a set (<c>{a,b}</c>).
/// </summary>
internal static partial class ResourcesParser
{
    public static Resources Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = Resources.Empty;
        foreach (var raw in text.Split(';'))
        {
            var fragment = raw.Trim();
            if (fragment.Length == 0)
            {
                continue;
            }

            var resource = ParseEntry(fragment);
            try
            {
                result = result.Plus(resource);
            }
            catch (ArgumentException ex)
            {
                throw new ResourceParseException(fragment, ex.Message);
            }
        }

        return result;
    }

    /// <summary>One entry, <c>name[(role)][volume]:value</c>.</summary>
    internal static Resource ParseEntry(string fragment)
    {
        var colon = fragment.IndexOf(':');
        if (colon <= 0)
        {
            throw new ResourceParseException(fragment, "expected name:value");
        }

        var head = fragment[..colon].Trim();
        var value = fragment[(colon + 1)..].Trim();
        var match = NameAndRole().Match(head);
        if (!match.Success)
        {
            throw new ResourceParseException(fragment, $"'{head}' is not a resource name with an optional (role)");
        }

        var name = match.Groups["name"].Value;
        var (role, reservation) = match.Groups["role"].Success ? ResourceQualifier.ParseRole(fragment, match.Groups["role"].Value) : (Resource.AnyRole, null);
        var volume = match.Groups["volume"].Success ? ResourceQualifier.ParseVolume(fragment, match.Groups["volume"].Value) : null;
        if (value.Length == 0)
        {
            throw new ResourceParseException(fragment, "the value is empty");
        }

        Resource plain;
        if (value[0] == '[')
        {
            plain = Resource.OfRanges(name, ParseRanges(fragment, value), role);
        }
        else if (value[0] == '{')
        {
            plain = Resource.OfSet(name, ParseSet(fragment, value), role);
        }
        else if (!Scalar.TryParse(value, out var amount))
        {
            throw new ResourceParseException(fragment, $"'{value}' is not a non-negative number, [ranges] or {{set}}");
        }
        else
        {
            plain = Resource.OfScalar(name, amount, role);
        }

        if (reservation is null && volume is null)
        {
            return plain;
        }

        try
        {
            return Resource.Reserved(plain, role, reservation, volume);
        }
        catch (ArgumentException ex)
        {
            throw new ResourceParseException(fragment, ex.Message);
        }
    }

    /// <summary>Parses <c>[a-b,c-d,e]</c>.</summary>
    internal static ValueRanges ParseRanges(string fragment, string value)
    {
        if (value[^1] != ']')
        {
            throw new ResourceParseException(fragment, "ranges must end with ']'");
        }

        var inner = value[1..^1].Trim();
        if (inner.Length == 0)
        {
            return ValueRanges.Empty;
        }

        var ranges = new List<(ulong, ulong)>();
        foreach (var part in inner.Split(','))
        {
            var piece = part.Trim();
            var dash = piece.IndexOf('-');
            var beginText = dash < 0 ? piece : piece[..dash].Trim();
            var endText = dash < 0 ? piece : piece[(dash + 1)..].Trim();
            if (!ulong.TryParse(beginText, NumberStyles.None, CultureInfo.InvariantCulture, out var begin)
                || !ulong.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var end))
            {
                throw new ResourceParseException(fragment, $"'{piece}' is not a range like 31000-32000");
            }

            if (begin > end)
            {
                throw new ResourceParseException(fragment, $"range '{piece}' ends before it begins");
            }

            ranges.Add((begin, end));
        }

        return ValueRanges.From(ranges);
    }

    /// <summary>Parses <c>{a,b}</c>.</summary>
    internal static ValueSet ParseSet(string fragment, string value)
    {
        if (value[^1] != '}')
        {
            throw new ResourceParseException(fragment, "sets must end with '}'");
        }

        var items = value[1..^1].Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        return ValueSet.From(items);
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)(\((?<role>[^()\s]+)\))?(\[(?<volume>[^\[\]\s]*)\])?$")]
    private static partial Regex NameAndRole();
}
