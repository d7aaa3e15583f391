namespace OrleansDcos.Tests.Support.Silo;

/// <summary>Where a test silo listens: its loopback address, API port, Orleans silo port and gateway port.</summary>
public sealed record SiloEndpoint(string Host, int HttpPort, int SiloPort, int GatewayPort);
