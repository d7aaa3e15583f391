using System.Reflection;

namespace OrleansDcos.Tests.Support;

/// <summary>Where the repository and the built projects are, seen from a test assembly.</summary>
public static class RepositoryLayout
{
    /// <summary>The directory holding <c>OrleansDcos.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of the running tests (Debug or Release).</summary>
    public static string Configuration { get; } =
        Assembly.GetExecutingAssembly().GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>The built output directory of a project folder, for example <c>Silo</c>.</summary>
    public static string OutputOf(string projectFolder) =>
        Path.Combine(Root, projectFolder, "bin", Configuration, "net10.0");

    /// <summary>The project's own Marathon definitions (Marathon's JSON format).</summary>
    public static string MarathonFixtures => Path.Combine(Root, "Tests", "Fixtures", "marathon");

    /// <summary>
    /// The reference folder of real Marathon definitions and answers, when it exists: <c>DCOS_MARATHON_EXAMPLES</c>, or
    /// <c>../shared/reference/marathon-examples</c> beside the repository.
    /// </summary>
    public static string? MarathonExamples
    {
        get
        {
            var candidate = Environment.GetEnvironmentVariable("DCOS_MARATHON_EXAMPLES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Root, "..", "shared", "reference", "marathon-examples");
            return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OrleansDcos.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"OrleansDcos.sln not found above {AppContext.BaseDirectory}");
    }
}
