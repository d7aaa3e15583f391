namespace OrleansDcos.Cli;

/// <summary>A failure the user can act on: printed as one line (no stack trace), exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
