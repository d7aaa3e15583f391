namespace OrleansDcos.Silo.Master;

/// <summary>
/// WebSocket requests understood in front of every other middleware: an agent link that reaches the HTTP pipeline
/// (not taken by <see cref="AgentLinkConnections"/>, e.g. a wrong token) is answered as the WebSocket request it is.
/// </summary>
internal sealed class WebSocketsFirst : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWebSockets();
        next(app);
    };
}
