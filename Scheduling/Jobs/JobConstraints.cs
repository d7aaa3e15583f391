using OrleansDcos.Scheduling.Constraints;

namespace OrleansDcos.Scheduling.Jobs;

/// <summary>Chronos' constraints (<c>[attribute, EQUALS|LIKE|UNLIKE, value]</c>) as the placement engine's.</summary>
public static class JobConstraints
{
    /// <summary>The operators Chronos has.</summary>
    public static readonly IReadOnlyList<string> Operators = ["EQUALS", "LIKE", "UNLIKE"];

    /// <summary>The placement engine's constraint of a Chronos one (EQUALS is its IS).</summary>
    /// <exception cref="InvalidConstraintException">The operator is not Chronos' or the value is not valid for it.</exception>
    public static Constraint Create(IReadOnlyList<string> constraint) => Operators.Contains(constraint[1])
        ? Constraint.Create(constraint[0], constraint[1] == "EQUALS" ? "IS" : constraint[1], constraint[2])
        : throw new InvalidConstraintException($"'{constraint[1]}' is not EQUALS, LIKE or UNLIKE");
}
