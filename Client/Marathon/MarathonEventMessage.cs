using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Client.Marathon;

/// <summary>One event of the bus: its id (the resume position; null for events of the connection itself), type and JSON.</summary>
public sealed record MarathonEventMessage(long? Id, string EventType, JsonObject Data);
