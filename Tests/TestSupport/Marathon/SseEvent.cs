using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Marathon;

/// <summary>One server-sent event.</summary>
public sealed record SseEvent(long? Id, string Type, JsonObject Data);
