using Xunit;

namespace OrleansDcos.Tests.Integration;

/// <summary>
/// Tests that run silo clusters run alone: other test classes running beside them on a 2-core machine would delay
/// membership probes and turn timing into noise.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster (not parallel)";
}
