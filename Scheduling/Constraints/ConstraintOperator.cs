namespace OrleansDcos.Scheduling.Constraints;

/// <summary>Marathon's constraint operators.</summary>
public enum ConstraintOperator
{
    /// <summary>At most one task of the app per value of the field.</summary>
    Unique,

    /// <summary>All tasks on the given value; without a value, all on the value of the first placement.</summary>
    Cluster,

    /// <summary>Spread evenly over the field's values; the optional number is how many values to expect.</summary>
    GroupBy,

    /// <summary>The field's value matches the regular expression (a missing field does not).</summary>
    Like,

    /// <summary>The field's value does not match the regular expression (a missing field does).</summary>
    Unlike,

    /// <summary>At most N tasks of the app per value of the field.</summary>
    MaxPer,

    /// <summary>The field's value is exactly the given text or number.</summary>
    Is,
}
