namespace OrleansDcos.Tests.Support;

/// <summary>How a CLI run ended: its exit code, standard output and standard error.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}
