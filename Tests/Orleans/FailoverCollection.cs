using Xunit;

namespace OrleansDcos.Tests.Orleans;

/// <summary>
/// Tests that kill silos run alone: other test classes' load on a 2-core machine would delay membership probes and
/// the redelivery they wait for, and turn their deadlines into noise.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FailoverCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Failover (not parallel)";
}
