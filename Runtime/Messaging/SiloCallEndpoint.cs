using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrleansDcos.Runtime.Activation;
using OrleansDcos.Runtime.Directory;
using OrleansDcos.Runtime.Gateway;
using OrleansDcos.Runtime.Membership;

namespace OrleansDcos.Runtime.Messaging;

/// <summary><c>POST /silo/call</c>: a grain call from another silo, answered with the result, the error, or where the grain lives.</summary>
internal static class SiloCallEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var membership = services.GetRequiredService<ClusterMembership>();
        if (MembershipEndpoints.Dropped(context, services.GetRequiredService<SiloNetwork>()))
        {
            return;
        }

        if (!membership.IsAdmitting)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var call = await context.Request.ReadFromJsonAsync<SiloCall>(GrainJson.Options, context.RequestAborted);
        var catalog = services.GetRequiredService<Catalog>();
        var router = services.GetRequiredService<GrainRouter>();
        // The grain type names the class; the interface is one of its interfaces — also those many classes
        // share, like IRemindable and IStreamConsumer<T>, which no interface-to-class map can resolve.
        var grainClass = call is null ? null : catalog.Registry.ByType(call.GrainType);
        var grainInterface = grainClass?.ClassType.GetInterfaces().FirstOrDefault(i => i.FullName == call!.Interface);
        var method = grainInterface is null ? null : GrainInterfaceInfo.Of(grainInterface).FindByWireName(call!.Method);
        if (grainClass is null || method is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var arguments = call!.Arguments.Select((a, i) => a.Deserialize(method.Parameters[i], GrainJson.Options)).ToArray();
        var request = method.CreateRequest(grainInterface!, call.Key, arguments);
        request.Target = new GrainId(grainClass.GrainType, call.Key);
        request.CallChain = SiloMessenger.ToChain(call.Chain);
        request.DeadlineMs = Environment.TickCount64 + call.TimeoutMs;

        SiloReply reply;
        if (await router.AcceptAsync(request, grainClass, call.Placed) is { } forward)
        {
            reply = new SiloReply(null, null, forward.ToString());
        }
        else
        {
            try
            {
                await request.ResultTask;
                reply = new SiloReply(request.ResultAsJson(GrainJson.Options), null, null);
            }
            catch (Exception ex)
            {
                reply = new SiloReply(null, GatewayExceptions.ToError(ex), null);
            }
        }

        await context.Response.WriteAsJsonAsync(reply, GrainJson.Options, context.RequestAborted);
    }
}
