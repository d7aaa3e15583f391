using System.Globalization;
using System.Text;

namespace OrleansDcos.Benchmarks.Harness;

/// <summary>The figures of one run, printed as <c>RESULT scenario=name key=value …</c> in invariant format.</summary>
internal sealed class ScenarioResult
{
    private readonly List<(string Key, string Value)> _figures = [];

    /// <summary>Adds an integer figure.</summary>
    public ScenarioResult Add(string key, long value)
    {
        _figures.Add((key, value.ToString(CultureInfo.InvariantCulture)));
        return this;
    }

    /// <summary>Adds a decimal figure, rounded to <paramref name="decimals"/> places.</summary>
    public ScenarioResult Add(string key, double value, int decimals = 3)
    {
        _figures.Add((key, Math.Round(value, decimals).ToString("0.###", CultureInfo.InvariantCulture)));
        return this;
    }

    /// <summary>Adds a word (no spaces) such as a kind.</summary>
    public ScenarioResult Add(string key, string value)
    {
        if (value.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException($"RESULT values cannot contain spaces: '{value}'", nameof(value));
        }

        _figures.Add((key, value));
        return this;
    }

    /// <summary>The RESULT line for <paramref name="scenario"/>.</summary>
    public string Format(string scenario)
    {
        var line = new StringBuilder("RESULT scenario=").Append(scenario);
        foreach (var (key, value) in _figures)
        {
            line.Append(' ').Append(key).Append('=').Append(value);
        }

        return line.ToString();
    }
}
