using OrleansDcos.Scheduling.Constraints;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>A constraint bound to its interned field values and, for the group, its value distribution or per-value verdict cache.</summary>
internal sealed class PreparedConstraint(Constraint constraint, FieldValues field, ValueDistribution? distribution, sbyte[]? verdicts)
{
    public Constraint Constraint { get; } = constraint;

    /// <summary>True when an agent whose field has value id <paramref name="id"/> (−1: absent) satisfies the constraint now.</summary>
    public bool Accepts(int id)
    {
        if (verdicts is not null)
        {
            if (id < 0)
            {
                return Constraint.AcceptsValue(null);
            }

            var verdict = verdicts[id];
            if (verdict == 0)
            {
                verdict = Constraint.AcceptsValue(field.ValueText(id)) ? (sbyte)1 : (sbyte)-1;
                verdicts[id] = verdict;
            }

            return verdict > 0;
        }

        if (id < 0)
        {
            return false;
        }

        var count = distribution!.CountOf(id);
        return Constraint.Operator switch
        {
            ConstraintOperator.Unique => count == 0,
            ConstraintOperator.MaxPer => count < Constraint.Number,
            // Marathon: an unseen value, or one holding the fewest tasks; with GROUP_BY:N, while fewer
            // than N values are known, only values without tasks.
            ConstraintOperator.GroupBy => count == (Constraint.Number > distribution.Known ? 0 : distribution.MinCount),
            // CLUSTER without a value: all tasks together, on whatever value the first one got.
            ConstraintOperator.Cluster => distribution.Total == 0 || count == distribution.Total,
            _ => throw new InvalidOperationException($"{Constraint} is not placement-dependent"),
        };
    }

    public int ValueIdOf(AgentSlot slot) => field.SlotValue[slot.Index];
}
