using System.Net;
using MockRunsServer.Tests.Infrastructure;

namespace MockRunsServer.Tests.Auth;

/// <summary><c>Mock:Admin:ApiKey</c>: the control API takes its own key, apart from the OpenAI keys.</summary>
public sealed class AdminKeyTests(AdminKeyTests.Server server) : IClassFixture<AdminKeyTests.Server>
{
    public const string AdminKey = "mock-admin-0123456789";
    public const string ApiKey = "sk-api-key-0123456789abcdef";

    public sealed class Server() : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Admin:ApiKey"] = AdminKey,
        ["Mock:Auth:ApiKeys:0"] = ApiKey,
    });

    private ApiClient Api(string? key)
    {
        var api = server.Api();
        if (key is not null)
        {
            api.Headers["Authorization"] = $"Bearer {key}";
        }
        return api;
    }

    [Fact]
    public async Task The_admin_key_opens_the_control_API()
    {
        (await Api(AdminKey).Get("/_mock/clock")).Ok();
        (await Api(AdminKey).Post("/_mock/clock/advance", new { seconds = 1 })).Ok();
    }

    [Fact]
    public async Task A_control_request_without_a_key_gets_a_401()
    {
        var error = (await Api(null).Get("/_mock/requests")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal("You didn't provide the control API key. Send the value of Mock:Admin:ApiKey as Authorization: Bearer YOUR_ADMIN_KEY.", error.Str("message"));
        Assert.True(error.IsNull("code"));
    }

    [Fact]
    public async Task A_control_request_with_a_wrong_key_gets_a_401_with_the_key_masked()
    {
        var error = (await Api("mock-admin-wrong-key-99").Post("/_mock/reset")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal("Incorrect control API key provided: mock-adm***********y-99. The control API takes the value of Mock:Admin:ApiKey.", error.Str("message"));
        Assert.Equal("invalid_api_key", error.Str("code"));
    }

    [Fact]
    public async Task A_refused_control_request_changes_nothing()
    {
        var before = (await Api(AdminKey).Get("/_mock/clock")).Ok().Json.Long("now_ms");

        (await Api(ApiKey).Post("/_mock/clock/advance", new { seconds = 60 })).Error(HttpStatusCode.Unauthorized);

        Assert.Equal(before, (await Api(AdminKey).Get("/_mock/clock")).Ok().Json.Long("now_ms"));
    }

    [Fact]
    public async Task The_control_API_needs_the_key_whatever_the_paths_case()
    {
        (await Api(null).Post("/_MOCK/Reset")).Error(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_admin_key_is_not_an_API_key()
    {
        var error = (await Api(AdminKey).Get("/v1/assistants")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal("invalid_api_key", error.Str("code"));
    }

    [Fact]
    public async Task The_OpenAI_routes_take_their_own_key()
    {
        (await Api(ApiKey).Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task Health_and_swagger_need_no_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await Api(null).Get("/healthz")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api(null).Get("/swagger/v1/swagger.json")).Status);
    }
}
