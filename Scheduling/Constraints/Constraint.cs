using System.Globalization;
using System.Text.RegularExpressions;
using OrleansDcos.Scheduling.Placement;
using OrleansDcos.Scheduling.Resources;

namespace OrleansDcos.Scheduling.Constraints;

/// <summary>
/// One placement constraint, <c>[field, OPERATOR, value?]</c>, with Marathon's semantics. The
/// field is <c>hostname</c> (or <c>@hostname</c>), <c>@region</c>, <c>@zone</c>, or an agent attribute.
/// Created only through <see cref="Create"/>, which validates it; immutable.
/// </summary>
public sealed class Constraint
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private Constraint(string field, ConstraintOperator op, string? value, Regex? pattern, int number)
    {
        Field = field;
        Operator = op;
        Value = value;
        Pattern = pattern;
        Number = number;
        Reason = $"constraint {OperatorName(op)} {field}";
    }

    /// <summary>The field the constraint looks at.</summary>
    public string Field { get; }

    /// <summary>The operator.</summary>
    public ConstraintOperator Operator { get; }

    /// <summary>The operand, when given.</summary>
    public string? Value { get; }

    /// <summary>The constant reason given for every agent this constraint rejects, e.g. <c>constraint UNIQUE hostname</c>.</summary>
    public string Reason { get; }

    /// <summary>The anchored regular expression of LIKE and UNLIKE.</summary>
    internal Regex? Pattern { get; }

    /// <summary>The number of GROUP_BY (0 when absent) and MAX_PER.</summary>
    internal int Number { get; }

    /// <summary>True when the constraint depends on where the app's other tasks are.</summary>
    public bool DependsOnPlacedTasks => Operator is ConstraintOperator.Unique or ConstraintOperator.GroupBy or ConstraintOperator.MaxPer
        || (Operator == ConstraintOperator.Cluster && Value is null);

    /// <summary>Validates and builds a constraint from its three JSON parts.</summary>
    /// <exception cref="InvalidConstraintException">The operator is unknown, or the value is missing, extra or malformed.</exception>
    public static Constraint Create(string field, string op, string? value = null)
    {
        if (string.IsNullOrWhiteSpace(field))
        {
            throw new InvalidConstraintException("constraint field is empty");
        }

        var parsed = ParseOperator(op) ?? throw new InvalidConstraintException(
            $"constraint operator '{op}' is unknown: use UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER or IS");
        var name = OperatorName(parsed);
        switch (parsed)
        {
            case ConstraintOperator.Unique:
                if (!string.IsNullOrEmpty(value))
                {
                    throw new InvalidConstraintException($"{name} takes no value, got '{value}'");
                }

                return new Constraint(field, parsed, null, null, 0);
            case ConstraintOperator.Cluster:
                return new Constraint(field, parsed, string.IsNullOrEmpty(value) ? null : value, null, 0);
            case ConstraintOperator.GroupBy:
                if (string.IsNullOrEmpty(value))
                {
                    return new Constraint(field, parsed, null, null, 0);
                }

                return new Constraint(field, parsed, value, null, ParsePositive(name, value));
            case ConstraintOperator.MaxPer:
                if (string.IsNullOrEmpty(value))
                {
                    throw new InvalidConstraintException($"{name} needs a number");
                }

                return new Constraint(field, parsed, value, null, ParsePositive(name, value));
            case ConstraintOperator.Like:
            case ConstraintOperator.Unlike:
                if (value is null)
                {
                    throw new InvalidConstraintException($"{name} needs a regular expression");
                }

                try
                {
                    var pattern = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, RegexTimeout);
                    return new Constraint(field, parsed, value, pattern, 0);
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidConstraintException($"{name} value '{value}' is not a valid regular expression: {ex.Message}");
                }

            default:
                if (string.IsNullOrEmpty(value))
                {
                    throw new InvalidConstraintException($"{name} needs a value");
                }

                return new Constraint(field, parsed, value, null, 0);
        }
    }

    /// <summary>The value of this constraint's field on <paramref name="agent"/>, or null when the agent lacks it.</summary>
    public string? ValueOf(AgentDescriptor agent) => FieldValue(Field, agent);

    /// <summary>The value of <paramref name="field"/> on <paramref name="agent"/>, or null when absent.</summary>
    public static string? FieldValue(string field, AgentDescriptor agent) => field switch
    {
        "hostname" or "@hostname" => agent.Hostname,
        "@region" => agent.Region,
        "@zone" => agent.Zone,
        _ => agent.Attributes.TryGetValue(field, out var value) ? value.Text : null,
    };

    /// <summary>
    /// True when an agent whose field value is <paramref name="value"/> satisfies the constraints that
    /// do not depend on other tasks (LIKE, UNLIKE, IS, CLUSTER with a value). Always true for the others.
    /// </summary>
    public bool AcceptsValue(string? value) => Operator switch
    {
        ConstraintOperator.Like => value is not null && Pattern!.IsMatch(value),
        ConstraintOperator.Unlike => value is null || !Pattern!.IsMatch(value),
        ConstraintOperator.Is => value is not null && SameValue(value, Value!),
        ConstraintOperator.Cluster when Value is not null => value is not null && SameValue(value, Value),
        _ => value is not null,
    };

    /// <summary>Marathon's JSON form: <c>["hostname","UNIQUE"]</c>.</summary>
    public IReadOnlyList<string> ToJsonArray() => Value is null ? [Field, OperatorName(Operator)] : [Field, OperatorName(Operator), Value];

    /// <inheritdoc />
    public override string ToString() => Value is null ? $"{Field}:{OperatorName(Operator)}" : $"{Field}:{OperatorName(Operator)}:{Value}";

    /// <summary>The operator as written in JSON: <c>GROUP_BY</c>, <c>MAX_PER</c>, …</summary>
    public static string OperatorName(ConstraintOperator op) => op switch
    {
        ConstraintOperator.GroupBy => "GROUP_BY",
        ConstraintOperator.MaxPer => "MAX_PER",
        _ => op.ToString().ToUpperInvariant(),
    };

    private static ConstraintOperator? ParseOperator(string op) => op switch
    {
        "UNIQUE" => ConstraintOperator.Unique,
        "CLUSTER" => ConstraintOperator.Cluster,
        "GROUP_BY" => ConstraintOperator.GroupBy,
        "LIKE" => ConstraintOperator.Like,
        "UNLIKE" => ConstraintOperator.Unlike,
        "MAX_PER" => ConstraintOperator.MaxPer,
        "IS" => ConstraintOperator.Is,
        _ => null,
    };

    private static int ParsePositive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new InvalidConstraintException($"{name} value '{value}' is not a positive integer");

    /// <summary>Text equality, or numeric equality when both sides are numbers (<c>10</c> IS <c>10.0</c>).</summary>
    private static bool SameValue(string a, string b) =>
        string.Equals(a, b, StringComparison.Ordinal)
        || (Scalar.TryParse(a, out var x) && Scalar.TryParse(b, out var y) && x == y);
}
