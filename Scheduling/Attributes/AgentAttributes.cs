using System.Collections;
using System.Text.RegularExpressions;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Scheduling.Attributes;

/// <summary>
/// An agent's attributes, parsed from the Mesos syntax <c>rack:r1;zone:a;level:10</c>:
/// a value starting with <c>[</c> is ranges, with <c>{</c> a set, a number is a scalar, anything
/// else text. Immutable; names are unique.
/// </summary>
public sealed partial class AgentAttributes : IReadOnlyDictionary<string, AttributeValue>
{
    private readonly SortedDictionary<string, AttributeValue> _values;

    /// <summary>No attributes.</summary>
    public static readonly AgentAttributes Empty = new(new SortedDictionary<string, AttributeValue>(StringComparer.Ordinal));

    private AgentAttributes(SortedDictionary<string, AttributeValue> values) => _values = values;

    /// <summary>Builds attributes from name/value pairs.</summary>
    public static AgentAttributes From(IEnumerable<KeyValuePair<string, AttributeValue>> values) =>
        new(new SortedDictionary<string, AttributeValue>(values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), StringComparer.Ordinal));

    /// <summary>Parses <c>name:value;name:value</c>.</summary>
    /// <exception cref="ResourceParseException">A fragment is malformed or a name repeats; the message names it.</exception>
    public static AgentAttributes Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new SortedDictionary<string, AttributeValue>(StringComparer.Ordinal);
        foreach (var raw in text.Split(';'))
        {
            var fragment = raw.Trim();
            if (fragment.Length == 0)
            {
                continue;
            }

            var colon = fragment.IndexOf(':');
            if (colon <= 0)
            {
                throw new ResourceParseException(fragment, "expected name:value");
            }

            var name = fragment[..colon].Trim();
            var value = fragment[(colon + 1)..].Trim();
            if (!NamePattern().IsMatch(name))
            {
                throw new ResourceParseException(fragment, $"'{name}' is not an attribute name");
            }

            if (value.Length == 0)
            {
                throw new ResourceParseException(fragment, "the value is empty");
            }

            if (!values.TryAdd(name, ParseValue(fragment, value)))
            {
                throw new ResourceParseException(fragment, $"attribute '{name}' is given twice");
            }
        }

        return new AgentAttributes(values);
    }

    private static AttributeValue ParseValue(string fragment, string value)
    {
        if (value[0] == '[')
        {
            return AttributeValue.OfRanges(ResourcesParser.ParseRanges(fragment, value));
        }

        if (value[0] == '{')
        {
            return AttributeValue.OfSet(ResourcesParser.ParseSet(fragment, value));
        }

        if (char.IsAsciiDigit(value[0]) && Scalar.TryParse(value, out var number))
        {
            return AttributeValue.OfScalar(number);
        }

        if (!TextPattern().IsMatch(value))
        {
            throw new ResourceParseException(fragment, $"'{value}' has characters not allowed in a text attribute (use letters, digits and _ - . / )");
        }

        return AttributeValue.OfText(value);
    }

    /// <inheritdoc />
    public AttributeValue this[string key] => _values[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _values.Keys;

    /// <inheritdoc />
    public IEnumerable<AttributeValue> Values => _values.Values;

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, out AttributeValue value) => _values.TryGetValue(key, out value!);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, AttributeValue>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Mesos text: <c>name:value</c> joined by <c>;</c>.</summary>
    public override string ToString() => string.Join(';', _values.Select(kv => $"{kv.Key}:{kv.Value.Text}"));

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-/]+$")]
    private static partial Regex TextPattern();
}
