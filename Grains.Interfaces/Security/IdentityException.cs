namespace OrleansDcos.Grains.Security;

/// <summary>An identity change refused: <see cref="Status"/> is the HTTP status to answer (400 bad input, 404 unknown, 409 exists).</summary>
[Orleans.GenerateSerializer]
[Orleans.Alias("dcos.IdentityException")]
public sealed class IdentityException(int status, string message) : Exception(message)
{
    /// <summary>The HTTP status the refusal is answered with.</summary>
    [Orleans.Id(0)]
    public int Status { get; } = status;
}
