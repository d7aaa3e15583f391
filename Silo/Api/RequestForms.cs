using Microsoft.AspNetCore.Http;

namespace OrleansDcos.Silo.Api;

/// <summary>Reads a request's form, refusing a malformed one (too many or too long keys or values) as the caller's error.</summary>
public static class RequestForms
{
    /// <summary>The form of <paramref name="request"/>; a form the reader refuses is a <see cref="BadRequestException"/> (400, not logged as a failure).</summary>
    public static async Task<IFormCollection> ReadAsync(HttpRequest request)
    {
        try
        {
            return await request.ReadFormAsync();
        }
        catch (InvalidDataException ex)
        {
            throw new BadRequestException($"the form is not valid: {ex.Message}");
        }
    }
}
