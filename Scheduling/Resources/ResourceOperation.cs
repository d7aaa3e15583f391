using Res = OrleansDcos.Scheduling.Resources.Resources;

namespace OrleansDcos.Scheduling.Resources;

/// <summary>
/// One of Mesos' offer operations that change what resources are rather than who uses them: RESERVE (unreserved →
/// dynamically reserved for a role), UNRESERVE (back), CREATE (reserved disk → persistent volume), DESTROY (back).
/// <see cref="Apply"/> is the conversion the allocator makes on an offer and on the agent's total, and the agent on
/// what it keeps.
/// </summary>
/// <param name="Type">RESERVE, UNRESERVE, CREATE or DESTROY.</param>
/// <param name="Resources">The resources as they are after RESERVE or CREATE, or before UNRESERVE or DESTROY.</param>
public sealed record ResourceOperation(string Type, Res Resources)
{
    /// <summary>Reserve unreserved resources dynamically.</summary>
    public const string Reserve = "RESERVE";

    /// <summary>Give dynamically reserved resources back.</summary>
    public const string Unreserve = "UNRESERVE";

    /// <summary>Make persistent volumes of reserved disk.</summary>
    public const string Create = "CREATE";

    /// <summary>Delete persistent volumes (their disk stays reserved).</summary>
    public const string Destroy = "DESTROY";

    /// <summary>True for the four types above.</summary>
    public static bool IsConversion(string type) => type is Reserve or Unreserve or Create or Destroy;

    /// <summary>What the operation consumes of the resources it is applied to.</summary>
    public Res Consumed => Type switch
    {
        Reserve => Res.From(Resources.Select(r => r.AsUnreserved())),
        Create => Res.From(Resources.Select(r => r.WithoutVolume())),
        _ => Resources,
    };

    /// <summary>What the operation gives in exchange for <see cref="Consumed"/>.</summary>
    public Res Converted => Type switch
    {
        Unreserve => Res.From(Resources.Select(r => r.AsUnreserved())),
        Destroy => Res.From(Resources.Select(r => r.WithoutVolume())),
        _ => Resources,
    };

    /// <summary>
    /// Why the operation is malformed whatever it is applied to, or null: RESERVE and UNRESERVE name dynamically
    /// reserved resources without volumes; CREATE and DESTROY name persistent volumes on reserved disk.
    /// </summary>
    public string? Problem()
    {
        if (Resources.IsEmpty)
        {
            return $"{Type} names no resources";
        }

        foreach (var resource in Resources)
        {
            var problem = Type switch
            {
                Reserve or Unreserve when resource.Reservation is null => $"{resource} is not dynamically reserved (a reservation with a role other than '*' is needed)",
                Reserve or Unreserve when resource.Volume is not null => $"{resource} is a persistent volume (DESTROY it first)",
                Create or Destroy when resource.Volume is null => $"{resource} is not a persistent volume",
                Create or Destroy => resource.Volume!.Problem(),
                Reserve or Unreserve => null,
                _ => $"operation {Type} is not one of RESERVE, UNRESERVE, CREATE, DESTROY",
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="from"/> converted: <see cref="Consumed"/> taken out, <see cref="Converted"/> put in.
    /// </summary>
    /// <exception cref="ResourceOperationException">The operation is malformed, <paramref name="from"/> lacks what it
    /// consumes, or CREATE names a volume id that <paramref name="from"/> already holds for the role.</exception>
    public Res Apply(Res from)
    {
        if (Problem() is { } problem)
        {
            throw new ResourceOperationException(problem);
        }

        var consumed = Consumed;
        if (!from.Contains(consumed))
        {
            throw new ResourceOperationException($"{Type} needs {consumed}, which is not there (there is {from})");
        }

        if (Type == Create && Resources.Volumes.FirstOrDefault(v => from.Volumes.Any(e => e.Role == v.Role && e.Volume!.Id == v.Volume!.Id)) is { } taken)
        {
            throw new ResourceOperationException($"persistent volume '{taken.Volume!.Id}' of role '{taken.Role}' exists already");
        }

        try
        {
            return from.Minus(consumed).Plus(Converted);
        }
        catch (ArgumentException ex)
        {
            throw new ResourceOperationException($"{Type}: {ex.Message}");
        }
    }
}
