using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Directory;
using OrleansDcos.Runtime.Gateway;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Messaging;

/// <summary>
/// <c>POST /silo/batch</c>: grain calls from another silo. Each call is routed at once (in order) and its
/// reply — the result, the error, or where the grain lives — is written as an NDJSON line when it
/// completes, so fast calls never wait for slow ones in the same batch.
/// </summary>
internal static class SiloCallEndpoint
{
    public static async Task HandleBatchAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (MembershipEndpoints.Dropped(context, services.GetRequiredService<SiloNetwork>()))
        {
            return;
        }

        if (!services.GetRequiredService<ClusterMembership>().IsAdmitting)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var calls = await context.Request.ReadFromJsonAsync<SiloCall[]>(GrainJson.Options, context.RequestAborted) ?? [];
        var catalog = services.GetRequiredService<Catalog>();
        var router = services.GetRequiredService<GrainRouter>();
        context.Response.ContentType = "application/x-ndjson";

        // Headers now (start, then flush: starting alone only commits them): the sender frees its sending
        // slot on them, before any call here has completed.
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var writeLock = new SemaphoreSlim(1, 1);
        var writers = 0;
        var answers = new Task[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            answers[i] = AnswerAsync(i, calls[i]);
        }

        await Task.WhenAll(answers);

        async Task AnswerAsync(int index, SiloCall call)
        {
            var reply = await ReplyAsync(call, catalog, router);
            var line = JsonSerializer.Serialize(new SiloBatchReply(index, reply), GrainJson.Options) + "\n";
            Interlocked.Increment(ref writers);
            await writeLock.WaitAsync();
            try
            {
                await context.Response.WriteAsync(line, context.RequestAborted);

                // The last writer of a burst flushes for everyone queued behind it.
                if (Interlocked.Decrement(ref writers) == 0)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The calling silo went away.
            }
            finally
            {
                writeLock.Release();
            }
        }
    }

    private static async Task<SiloReply> ReplyAsync(SiloCall call, Catalog catalog, GrainRouter router)
    {
        // The grain type names the class; the interface is one of its interfaces — also those many classes
        // share, like IRemindable and IStreamConsumer<T>, which no interface-to-class map can resolve.
        var grainClass = catalog.Registry.ByType(call.GrainType);
        var grainInterface = grainClass?.ClassType.GetInterfaces().FirstOrDefault(i => i.FullName == call.Interface);
        var method = grainInterface is null ? null : GrainInterfaceInfo.Of(grainInterface).FindByWireName(call.Method);
        if (grainClass is null || method is null)
        {
            return new SiloReply(null, GatewayExceptions.ToError(new ArgumentException($"this silo has no grain {call.GrainType} with {call.Interface}.{call.Method}")), null);
        }

        GrainRequest request;
        try
        {
            var arguments = call.Arguments.Select((a, i) => a.Deserialize(method.Parameters[i], GrainJson.Options)).ToArray();
            request = method.CreateRequest(grainInterface!, call.Key, arguments);
        }
        catch (JsonException ex)
        {
            return new SiloReply(null, GatewayExceptions.ToError(ex), null);
        }

        request.Target = new GrainId(grainClass.GrainType, call.Key);
        request.CallChain = SiloMessenger.ToChain(call.Chain);
        request.DeadlineMs = Environment.TickCount64 + call.TimeoutMs;
        if (await router.AcceptAsync(request, grainClass, call.Placed) is { } forward)
        {
            return new SiloReply(null, null, forward.ToString());
        }

        try
        {
            await request.ResultTask;
            return new SiloReply(request.ResultAsJson(GrainJson.Options), null, null);
        }
        catch (Exception ex)
        {
            return new SiloReply(null, GatewayExceptions.ToError(ex), null);
        }
    }
}
