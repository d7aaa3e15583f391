namespace OrleansDcos.Grains.Marathon;

/// <summary>
/// The HTTP clients Marathon's grains call tasks and subscribers with, one per silo (a service, not statics: disposed
/// with the silo, and a host can replace them).
/// </summary>
public sealed class MarathonHttpClients : IDisposable
{
    /// <summary>Readiness checks: a fresh connection per probe (a task restarts on the same port), any certificate (as Marathon), the check's own timeout.</summary>
    public HttpClient Readiness { get; } = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Event callbacks to subscribers: 10 s per POST.</summary>
    public HttpClient Callbacks { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <inheritdoc />
    public void Dispose()
    {
        Readiness.Dispose();
        Callbacks.Dispose();
    }
}
