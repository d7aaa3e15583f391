namespace OrleansDcos.Tests.Orleans.Streams;

/// <summary>What the test streams carry.</summary>
[GenerateSerializer]
[Alias("dcos.test.Tick")]
public sealed record Tick([property: Id(0)] string Producer, [property: Id(1)] int Number);
