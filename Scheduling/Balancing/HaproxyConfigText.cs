namespace OrleansDcos.Scheduling.Balancing;

/// <summary>A generated HAProxy configuration and what was left out of it, and why.</summary>
/// <param name="Text">The configuration file.</param>
/// <param name="Warnings">One line per app, port or task left out (a bad label, a port taken twice, …).</param>
public sealed record HaproxyConfigText(string Text, IReadOnlyList<string> Warnings);
