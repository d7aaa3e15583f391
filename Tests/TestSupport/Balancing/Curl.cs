namespace OrleansDcos.Tests.Support.Balancing;

/// <summary>One HTTP request with the real <c>curl</c>, on a new connection, as a client in a shell loop makes it.</summary>
public static class Curl
{
    /// <summary>GET <paramref name="url"/> (with a Host header when given): curl's exit code (0 = a 2xx answer) and the body, or its error.</summary>
    public static async Task<(int Exit, string Body)> GetAsync(string url, string? host = null)
    {
        var (exit, output, error) = await ChildProcess.RunAsync("curl", ["-s", "-S", "-f", "--max-time", "5", url, .. host is null ? Array.Empty<string>() : ["-H", "Host: " + host]]);
        return (exit, exit == 0 ? output.Trim() : error.Trim());
    }
}
