using System.Net;
using System.Net.Sockets;
using OrleansDcos.Client;

namespace OrleansDcos.Cli;

/// <summary>Every failure as one line that names what to fix.</summary>
public static class ErrorText
{
    /// <summary>An error answer: its message, then each field's errors by JSON path.</summary>
    public static string Of(DcosApiException error)
    {
        var status = (int)error.Status;
        var message = error.Error.Message.ReplaceLineEndings(" ").Trim();
        var details = error.Error.Details
            .Select(d => $"{(string.IsNullOrEmpty(d.Path) ? "/" : d.Path)}: {string.Join(", ", d.Errors)}")
            .ToList();
        var hint = error.Status switch
        {
            HttpStatusCode.NotFound => " (check the id with a list command)",
            HttpStatusCode.Conflict => " (wait for the deployment, or pass --force)",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " (check your credentials)",
            HttpStatusCode.ServiceUnavailable => " (the cluster is failing over: try again)",
            _ => string.Empty,
        };
        return details.Count == 0
            ? $"the cluster refused ({status}): {message}{hint}"
            : $"the cluster refused ({status}): {message}: {string.Join("; ", details)}";
    }

    /// <summary>The cluster could not be reached.</summary>
    public static string Unreachable(Uri cluster, Exception error)
    {
        var reason = error switch
        {
            HttpRequestException { InnerException: SocketException socket } => socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "unknown host",
                SocketError.TimedOut => "timed out",
                _ => socket.Message,
            },
            TaskCanceledException or TimeoutException => "no answer in time",
            _ => error.Message,
        };
        return $"cannot reach the cluster at {cluster}: {reason} (is a silo running there? set the address with `dcos cluster setup <url>` or --url)";
    }
}
