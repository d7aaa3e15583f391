namespace OrleansDcos.NodeDaemon.Sandboxes;

/// <summary>A sandbox on disk: its directory name and when anything in it last changed.</summary>
public readonly record struct SandboxAge(string Name, DateTimeOffset LastChange);
