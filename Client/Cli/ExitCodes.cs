namespace OrleansDcos.Cli;

/// <summary>The CLI's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed: the cluster refused, could not be reached, or a deployment failed or stuck.</summary>
    public const int Error = 1;

    /// <summary>The command line itself is wrong: an unknown verb or option, a missing argument.</summary>
    public const int Usage = 2;
}
