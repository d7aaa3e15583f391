using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrleansDcos.LoadBalancer;

/// <summary>
/// Logs the load balancer in as a service account (DC/OS' way: a short RS256 assertion signed with its private key,
/// traded at <c>/acs/api/v1/auth/login</c> for a token) and sends the token with every request; a 401 logs in again
/// and asks once more. Only GET requests are sent through it (all the balancer asks).
/// </summary>
public sealed class ServiceAccountLogin(string uid, RSA key, TimeProvider time) : DelegatingHandler
{
    private static readonly JsonWebTokenHandler Tokens = new();
    private readonly SemaphoreSlim _login = new(1, 1);
    private string? _token;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = _token ?? await LoginAsync(request.RequestUri!, null, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || request.Method != HttpMethod.Get)
        {
            return response;
        }

        // Expired or revoked: a new token, and the request once more.
        response.Dispose();
        token = await LoginAsync(request.RequestUri!, token, cancellationToken);
        using var again = new HttpRequestMessage(HttpMethod.Get, request.RequestUri);
        foreach (var header in request.Headers.Where(h => h.Key != "Authorization"))
        {
            again.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        again.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(again, cancellationToken);
    }

    private async Task<string> LoginAsync(Uri silo, string? stale, CancellationToken cancellationToken)
    {
        await _login.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } current && current != stale)
            {
                return current; // another request logged in meanwhile
            }

            var assertion = Tokens.CreateToken(new SecurityTokenDescriptor
            {
                Expires = time.GetUtcNow().AddMinutes(5).UtcDateTime,
                Claims = new Dictionary<string, object> { ["uid"] = uid },
                SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
            });
            using var login = new HttpRequestMessage(HttpMethod.Post, new Uri(silo, "/acs/api/v1/auth/login")) { Content = JsonContent.Create(new { uid, token = assertion }) };
            using var response = await base.SendAsync(login, cancellationToken);
            var answer = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            _token = response.IsSuccessStatusCode && answer?["token"]?.GetValue<string>() is { Length: > 0 } token
                ? token
                : throw new HttpRequestException($"login as '{uid}' failed: {answer?["message"] ?? response.StatusCode.ToString()}");
            return _token;
        }
        finally
        {
            _login.Release();
        }
    }
}
