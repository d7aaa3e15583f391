using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace OrleansDcos.Tests.Support.Security;

/// <summary>Logs a client in through <c>POST /acs/api/v1/auth/login</c> (polled: a bootstrap superuser is made just after the silo starts).</summary>
public static class AcsLogin
{
    /// <summary>Sets <paramref name="http"/>'s <c>Authorization</c> to a token of <paramref name="uid"/>.</summary>
    public static async Task<HttpClient> AsAsync(HttpClient http, string uid, string password)
    {
        string? token = null;
        await Poll.UntilAsync(async () =>
        {
            using var response = await http.PostAsJsonAsync("/acs/api/v1/auth/login", new { uid, password });
            token = response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>() : null;
            return token is not null;
        }, TimeSpan.FromSeconds(30), $"login as {uid}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
