using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Security;

/// <summary>An embedded silo in-process with login on, a bootstrap superuser <c>admin</c>, and helpers to make users and log in.</summary>
public class SecuredSilo : WebApplicationFactory<Program>
{
    /// <summary>The bootstrap superuser's password.</summary>
    public const string AdminPassword = "admin-password-1";

    private readonly TempDirectory _data = new();

    /// <summary>Requests a second a principal may make (high: only the rate-limit test's silo sets it low).</summary>
    protected virtual int RequestsPerSecond => 10_000;

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("Silo:DataDirectory", _data.Path)
            .UseSetting("Silo:SiloPort", FreePort.Next().ToString(CultureInfo.InvariantCulture))
            .UseSetting("Silo:GatewayPort", FreePort.Next().ToString(CultureInfo.InvariantCulture))
            .UseSetting("Silo:EmbeddedAgent", "false")
            .UseSetting("Discovery:Port", FreePort.Next().ToString(CultureInfo.InvariantCulture))
            .UseSetting("Security:Authentication", "true")
            .UseSetting("Security:BootstrapUser", "admin")
            .UseSetting("Security:BootstrapPassword", AdminPassword)
            .UseSetting("Security:RequestsPerSecond", RequestsPerSecond.ToString(CultureInfo.InvariantCulture))
            .UseSetting("Security:Burst", RequestsPerSecond.ToString(CultureInfo.InvariantCulture));

    /// <summary>A client logged in as <paramref name="uid"/> (the bootstrap superuser is made just after start: polled).</summary>
    public Task<HttpClient> LoginAsync(string uid, string password) => Support.Security.AcsLogin.AsAsync(CreateClient(), uid, password);

    /// <summary>The superuser's client.</summary>
    public Task<HttpClient> AdminAsync() => LoginAsync("admin", AdminPassword);

    /// <summary>Makes user <paramref name="uid"/> with <paramref name="grants"/> (resource, action) and answers its client.</summary>
    public async Task<HttpClient> UserAsync(string uid, params (string Resource, string Action)[] grants)
    {
        using var admin = await AdminAsync();
        const string password = "user-password-1";
        using (var created = await admin.PutAsJsonAsync($"/acs/api/v1/users/{uid}", new { password, description = uid }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        foreach (var (resource, action) in grants)
        {
            using var granted = await admin.PutAsync($"/acs/api/v1/acls/{Uri.EscapeDataString(resource)}/users/{uid}/{action}", null);
            Assert.Equal(HttpStatusCode.NoContent, granted.StatusCode);
        }

        return await LoginAsync(uid, password);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _data.Dispose();
    }
}
