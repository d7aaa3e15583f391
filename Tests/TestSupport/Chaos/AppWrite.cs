namespace OrleansDcos.Tests.Support.Chaos;

/// <summary>
/// One Marathon write the soak sent: what (<c>create</c>, <c>scale</c>, <c>restart</c>, <c>delete</c>), the instances it
/// asked for, when, and the outcome — acknowledged (2xx, with the version Marathon gave), refused (4xx), or unknown
/// (no answer, or 503 while failing over: it may or may not have happened).
/// </summary>
public sealed record AppWrite(string AppId, string Kind, int Instances, DateTimeOffset SentAt, int Status, string? Version, string Answer)
{
    /// <summary>Marathon answered 2xx: the write must hold.</summary>
    public bool Acknowledged => Status is >= 200 and < 300;

    /// <summary>No answer or 5xx: the write may or may not have happened.</summary>
    public bool Unknown => Status == 0 || Status >= 500;

    /// <summary>The write as evidence: <c>scale 3 at 18:52:05.9 → 200</c>.</summary>
    public string Describe() => $"{Kind} {Instances} at {SentAt:HH:mm:ss.f} → {(Status == 0 ? "no answer" : Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}
