namespace OrleansDcos.NodeDaemon.Containerizers.Process;

/// <summary>What to run: <c>sh -c Value</c> when <see cref="Shell"/>, else <see cref="Arguments"/> as argv (argv[0] is the program).</summary>
public sealed record ContainerCommand(bool Shell, string? Value, IReadOnlyList<string> Arguments)
{
    /// <summary>A shell command line.</summary>
    public static ContainerCommand ShellCommand(string command) => new(true, command, []);

    /// <summary>An argv, run without a shell.</summary>
    public static ContainerCommand Argv(params string[] argv) => new(false, null, argv);

    internal IReadOnlyList<string> ToArgv() => Shell
        ? ["/bin/sh", "-c", Value ?? throw new ArgumentException("a shell command needs a command line")]
        : Arguments.Count > 0 ? Arguments : throw new ArgumentException("a command without a shell needs at least the program in its arguments");
}
