using System.Diagnostics;

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
        var info = new ProcessStartInfo(TestEnvironment.HaproxyPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "-f", path })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("haproxy did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, (await output) + (await error));
    }
}
