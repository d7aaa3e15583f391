using System.Net;
using System.Text;
using OrleansDcos.Tests.Support;
using Xunit;

namespace OrleansDcos.Tests.Integration.Silo;

/// <summary>Requests the API fuzzer found answered 500, each now refused with a 4xx saying why (issue 27 regressions).</summary>
[Trait("Area", "Reliability")]
public sealed class MalformedRequestTests(SiloHostTests.Factory factory) : IClassFixture<SiloHostTests.Factory>
{
    [Theory]
    [InlineData("POST", "/v2/apps", "application/json", """{"id":"/dup","id":"/dup2","cmd":"true"}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/v2/groups", "application/json", """{"id":"/g","apps":[{"id":"a","id":"b"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "/acs/api/v1/users/alice", "application/json", """{"password":"password-123","password":"x"}""", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "/weights", "text/plain", """[{"role":"a","weight":2}]""", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("PUT", "/weights", "application/json", "[null]", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/quota", "application/x-www-form-urlencoded", "a=b", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/v2/tasks/delete", "application/json", """{"ids":[1]}""", (HttpStatusCode)422)]
    [InlineData("POST", "/v1/scheduler/iso8601", "application/json", """{"name":" ","command":"true","schedule":"R/2030-01-01T00:00:00Z/PT1H","owner":"a@b.c"}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/v1/scheduler/iso8601", "application/json", """{"name":"","command":"true","schedule":"R/2030-01-01T00:00:00Z/PT1H","owner":"a@b.c"}""", HttpStatusCode.BadRequest)]
    [InlineData("POST", "/v1/scheduler/iso8601", "application/json", """{"name":"job\n","command":"true","schedule":"R/2030-01-01T00:00:00Z/PT1H","owner":"a@b.c"}""", HttpStatusCode.BadRequest)]
    public async Task A_malformed_body_is_a_4xx_never_a_500(string method, string path, string contentType, string body, HttpStatusCode expected)
    {
        using var http = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, contentType) };

        using var response = await http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("\"message\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/weights", "PUT")]
    [InlineData("/quota", "POST")]
    public async Task A_weights_or_quota_body_past_a_mebibyte_is_a_413(string path, string method)
    {
        using var http = factory.CreateClient();
        var body = "[" + string.Join(',', Enumerable.Repeat("""{"role":"r","weight":1}""", 60_000)) + "]";
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("/master/teardown")]
    [InlineData("/master/reserve")]
    [InlineData("/master/create-volumes")]
    public async Task A_form_with_an_overlong_key_is_a_400(string path)
    {
        using var http = factory.CreateClient();
        using var form = new StringContent(new string('k', 5000) + "=v", Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await http.PostAsync(path, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("the form is not valid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
