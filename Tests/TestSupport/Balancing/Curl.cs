using System.Diagnostics;

namespace OrleansDcos.Tests.Support.Balancing;

/// <summary>One HTTP request with the real <c>curl</c>, on a new connection, as a client in a shell loop makes it.</summary>
public static class Curl
{
    /// <summary>GET <paramref name="url"/> (with a Host header when given): curl's exit code (0 = a 2xx answer) and the body.</summary>
    public static async Task<(int Exit, string Body)> GetAsync(string url, string? host = null)
    {
        var info = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-s", "-S", "-f", "--max-time", "5", url })
        {
            info.ArgumentList.Add(argument);
        }

        if (host is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add("Host: " + host);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("curl did not start");
        var body = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, process.ExitCode == 0 ? (await body).Trim() : (await error).Trim());
    }
}
