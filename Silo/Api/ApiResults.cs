using OrleansDcos.Grains.Interfaces.Api;
using OrleansDcos.Grains.Master;
using OrleansDcos.Mesos;

namespace OrleansDcos.Silo.Api;

/// <summary>Error answers in the API's one shape, <c>{message, details}</c>.</summary>
public static class ApiResults
{
    /// <summary>Writes an error with <paramref name="status"/>.</summary>
    public static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(ApiError.Of(message));
    }

    /// <summary>An error result with <paramref name="status"/>.</summary>
    public static IResult Error(int status, string message) => Results.Json(ApiError.Of(message), statusCode: status);

    /// <summary>Runs <paramref name="action"/>, turning the master's refusals and malformed Mesos JSON into 400/403 answers (a failover goes on to <see cref="FailoverRetry"/>).</summary>
    public static async Task<IResult> Guard(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (MasterValidationException ex)
        {
            return Error(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (FrameworkNotSubscribedException ex)
        {
            return Error(StatusCodes.Status403Forbidden, ex.Message);
        }
        catch (Security.AccessDeniedException ex)
        {
            return Error(StatusCodes.Status403Forbidden, ex.Message);
        }
        catch (Exception ex) when (ex is BadRequestException or MesosJsonException)
        {
            return Error(StatusCodes.Status400BadRequest, ex.Message);
        }
        catch (PayloadTooLargeException ex)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, ex.Message);
        }
        catch (UnsupportedMediaTypeException ex)
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, ex.Message);
        }

        // A silo died under the call (failover in progress): FailoverRetry asks again or answers 503.
    }
}
