namespace OrleansDcos.Tests.Support.Fuzzing;

/// <summary>What a fuzz run found: answers by status class, the 5xx and state changes with their evidence.</summary>
public sealed class FuzzReport
{
    /// <summary>Requests sent.</summary>
    public int Requests { get; set; }

    /// <summary>Answers 2xx/3xx.</summary>
    public int Accepted { get; set; }

    /// <summary>Answers 4xx.</summary>
    public int Refused { get; set; }

    /// <summary>Oversized bodies the silo refused before it had read them all (the connection closed under the sender).</summary>
    public int ClosedEarly { get; set; }

    /// <summary>Answers 5xx (other than 503 while failing over), each with its request: must be none.</summary>
    public List<string> ServerErrors { get; } = [];

    /// <summary>Requests that got no answer (a reset or timeout), with the reason.</summary>
    public List<string> NoAnswer { get; } = [];

    /// <summary>Batches of only refused requests after which the cluster's state differed: must be none.</summary>
    public List<string> StateChangedByRefused { get; } = [];

    /// <summary>Requests answered by route pattern, to see every route was reached.</summary>
    public Dictionary<string, int> ByRoute { get; } = new(StringComparer.Ordinal);
}
