using System.Text.Json.Nodes;

namespace OrleansDcos.Client.Marathon;

/// <summary>One event of the bus: its id (the resume position; null for events of the connection itself), type and JSON.</summary>
public sealed record MarathonEventMessage(long? Id, string EventType, JsonObject Data);
