using System.Text.Json.Nodes;

namespace OrleansDcos.Silo.Packages;

/// <summary>A package request refused, as Cosmos reports it: an HTTP status, an error <see cref="Type"/>, a message and <see cref="Details"/>.</summary>
public sealed class CosmosException(int status, string type, string message, JsonObject? details) : Exception(message)
{
    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Cosmos' error type (<c>PackageNotFound</c>, <c>JsonSchemaMismatch</c>, …).</summary>
    public string Type { get; } = type;

    /// <summary>The <c>data</c> of the error body.</summary>
    public JsonObject? Details { get; } = details;
}
