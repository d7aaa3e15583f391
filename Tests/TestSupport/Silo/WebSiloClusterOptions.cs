using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansDcos.Tests.Support.Silo;

/// <summary>How a <see cref="WebSiloCluster"/> is made.</summary>
public sealed class WebSiloClusterOptions
{
    /// <summary>The PostgreSQL database (and search path) membership, reminders, state and events live in.</summary>
    public required string PostgresConnectionString { get; init; }

    /// <summary>The cluster id, also the service id its state, reminders and events are kept under. Default: a new one.</summary>
    public string ClusterId { get; init; } = $"t{Guid.NewGuid():N}"[..20];

    /// <summary>Silos started at once. Default 1.</summary>
    public int InitialSilos { get; init; } = 1;

    /// <summary>Adds the test's services to each silo (the master, Marathon, short timings).</summary>
    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>Maps the test's endpoints on each silo.</summary>
    public Action<WebApplication>? Endpoints { get; init; }
}
