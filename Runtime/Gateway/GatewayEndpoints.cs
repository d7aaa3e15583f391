using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Gateway;

/// <summary>
/// The silo's gateway for cluster clients, on its HTTP endpoint: grain calls by interface name, method
/// and key (<c>POST /gateway/call</c>), and streams followed as NDJSON from a position
/// (<c>GET /gateway/streams/{provider}/{ns}/{key}?after=N</c>) or published to (<c>POST</c> there).
/// </summary>
public static class GatewayEndpoints
{
    /// <summary>Maps the gateway.</summary>
    public static IEndpointRouteBuilder MapGrainGateway(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/" + GatewayPaths.Call, (Delegate)CallAsync);
        endpoints.MapGet("/gateway/streams/{provider}/{ns}/{key}", FollowAsync);
        endpoints.MapPost("/gateway/streams/{provider}/{ns}/{key}", PublishAsync);
        return endpoints;
    }

    private static async Task<IResult> CallAsync(HttpContext context)
    {
        var catalog = context.RequestServices.GetRequiredService<Catalog>();
        if (context.RequestServices.GetService<ClusterMembership>() is { IsAdmitting: false } membership)
        {
            if (membership.FencedBecause is not null || context.RequestServices.GetRequiredService<SiloNetwork>() is { Partitioned: true } or { Killed: true })
            {
                context.Abort();
                return Results.Empty;
            }

            return Error(StatusCodes.Status503ServiceUnavailable, "this silo has not joined the cluster yet");
        }

        GatewayCall? call;
        try
        {
            call = await context.Request.ReadFromJsonAsync<GatewayCall>(GrainJson.Options, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, $"malformed call: {ex.Message}");
        }

        if (call is null || string.IsNullOrEmpty(call.Interface) || string.IsNullOrEmpty(call.Method) || string.IsNullOrEmpty(call.Key))
        {
            return Error(StatusCodes.Status400BadRequest, "a call needs interface, method, key and args");
        }

        var grainInterface = catalog.Registry.InterfaceNamed(call.Interface);
        if (grainInterface is null)
        {
            return Error(StatusCodes.Status404NotFound, $"no grain implements {call.Interface} on this silo");
        }

        var method = GrainInterfaceInfo.Of(grainInterface).FindByWireName(call.Method);
        if (method is null)
        {
            return Error(StatusCodes.Status404NotFound, $"{call.Interface} has no method {call.Method}");
        }

        if (call.Arguments.Count != method.Parameters.Count)
        {
            return Error(StatusCodes.Status400BadRequest, $"{call.Method} takes {method.Parameters.Count} arguments, got {call.Arguments.Count}");
        }

        object?[] arguments;
        try
        {
            arguments = call.Arguments.Select((a, i) => a.Deserialize(method.Parameters[i], GrainJson.Options)).ToArray();
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, $"an argument of {call.Method} does not fit its type: {ex.Message}");
        }

        var request = method.CreateRequest(grainInterface, call.Key, arguments);
        catalog.Send(request);
        try
        {
            await request.ResultTask;
            return Results.Json(new GatewayReply(request.ResultAsJson(GrainJson.Options), null), GrainJson.Options);
        }
        catch (Exception ex)
        {
            return Results.Json(new GatewayReply(null, GatewayExceptions.ToError(ex)), GrainJson.Options);
        }
    }

    private static async Task FollowAsync(HttpContext context, string provider, string ns, string key, long? after)
    {
        if (context.RequestServices.GetKeyedService<IStreamProvider>(provider) is not { } streams)
        {
            await Error(StatusCodes.Status404NotFound, $"no stream provider named '{provider}'").ExecuteAsync(context);
            return;
        }

        var stream = streams.GetStream<JsonElement>(new StreamId(ns, key));
        context.Response.ContentType = "application/x-ndjson";

        // End with the silo, not after the shutdown timeout: the client reconnects and resumes.
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            // Tell the client where "new events only" began, so a reconnect can resume from there.
            var position = after is { } value
                ? new StreamSequenceToken(value)
                : await stream.HeadAsync();
            context.Response.Headers[GatewayPaths.PositionHeader] = position.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await foreach (var e in stream.ReadAllAsync(position, ended.Token))
            {
                await context.Response.WriteAsync(JsonSerializer.Serialize(new GatewayStreamEvent(e.Token.Sequence, e.Item), GrainJson.Options) + "\n", ended.Token);
                await context.Response.Body.FlushAsync(ended.Token);
            }
        }
        catch (StreamPositionNotRetainedException ex) when (!context.Response.HasStarted)
        {
            await Error(StatusCodes.Status410Gone, ex.Message).ExecuteAsync(context);
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static async Task<IResult> PublishAsync(HttpContext context, string provider, string ns, string key)
    {
        if (context.RequestServices.GetKeyedService<IStreamProvider>(provider) is not { } streams)
        {
            return Error(StatusCodes.Status404NotFound, $"no stream provider named '{provider}'");
        }

        JsonElement item;
        try
        {
            item = await context.Request.ReadFromJsonAsync<JsonElement>(GrainJson.Options, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, $"malformed event: {ex.Message}");
        }

        var token = await streams.GetStream<JsonElement>(new StreamId(ns, key)).OnNextAsync(item, context.RequestAborted);
        return Results.Json(new { seq = token.Sequence });
    }

    private static IResult Error(int status, string message) => Results.Json(new { message, details = Array.Empty<object>() }, statusCode: status);
}
