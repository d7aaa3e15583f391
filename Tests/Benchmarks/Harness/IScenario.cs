namespace OrleansDcos.Benchmarks.Harness;

/// <summary>One benchmark scenario: runs at full size, or at <c>--small</c> size in well under a minute.</summary>
internal interface IScenario
{
    /// <summary>The name on the command line and in the RESULT line.</summary>
    string Name { get; }

    /// <summary>What it measures, for <c>--help</c>.</summary>
    string Description { get; }

    /// <summary>Runs once; returns the figures for the RESULT line, in order.</summary>
    Task<ScenarioResult> RunAsync(bool small, CancellationToken cancellationToken);
}
