namespace OrleansDcos.Tests.Support.Balancing;

/// <summary><c>haproxy -c</c> on a configuration text: whether the provisioned haproxy accepts it.</summary>
public static class HaproxyCheck
{
    /// <summary>Writes <paramref name="config"/> to a temporary file and checks it: HAProxy's exit code 0, and what it said.</summary>
    public static async Task<(bool Valid, string Output)> RunAsync(string config)
    {
        TestEnvironment.Require(Component.Haproxy);
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "haproxy.cfg");
        await File.WriteAllTextAsync(path, config);
        var (exit, output, error) = await ChildProcess.RunAsync(TestEnvironment.HaproxyPath!, ["-c", "-f", path]);
        return (exit == 0, output + error);
    }
}
