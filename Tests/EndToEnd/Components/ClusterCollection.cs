using Xunit;

namespace OrleansDcos.Tests.EndToEnd.Components;

/// <summary>Tests that measure failure detection run alone, so other tests' load does not delay probes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster (not parallel)";
}
