using OrleansDcos.Scheduling.Constraints;

namespace OrleansDcos.Scheduling.Placement;

/// <summary>
/// The values one constraint field takes, interned to small integers, and each agent slot's value id
/// (−1 when the agent lacks the field). Lets constraint checks index arrays instead of hashing text.
/// </summary>
internal sealed class FieldValues
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    public FieldValues(string field, IReadOnlyList<AgentSlot> slots)
    {
        Field = field;
        SlotValue = new int[slots.Count];
        for (var i = 0; i < slots.Count; i++)
        {
            SlotValue[i] = IdOf(slots[i].Agent);
        }
    }

    public string Field { get; }

    /// <summary>Value id per slot index.</summary>
    public int[] SlotValue { get; }

    /// <summary>How many distinct values are known (from agents and from placed tasks).</summary>
    public int Count => _values.Count;

    public string ValueText(int id) => _values[id];

    /// <summary>The value id of <paramref name="agent"/>'s field, interning a new value; −1 when absent.</summary>
    public int IdOf(AgentDescriptor agent)
    {
        var value = Constraint.FieldValue(Field, agent);
        if (value is null)
        {
            return -1;
        }

        if (!_ids.TryGetValue(value, out var id))
        {
            id = _values.Count;
            _ids.Add(value, id);
            _values.Add(value);
        }

        return id;
    }
}
