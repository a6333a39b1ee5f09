#pragma warning disable OPENAI001
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using MockRunsServer.Tests.Infrastructure;
using OpenAI.Assistants;

namespace MockRunsServer.Tests.Auth;

/// <summary><c>Mock:Auth:ApiKeys</c> set: OpenAI's two 401s on the OpenAI routes, nothing else affected.</summary>
public sealed class ApiKeyTests(ApiKeyTests.Server server) : IClassFixture<ApiKeyTests.Server>
{
    public const string GoodKey = "sk-proj-good0123456789abcdefghijklmnop";
    public const string OtherKey = "sk-other-good-key-000000000000";

    public sealed class Server() : MockServerFactory(new Dictionary<string, string?>
    {
        ["Mock:Auth:ApiKeys:0"] = GoodKey,
        ["Mock:Auth:ApiKeys:1"] = OtherKey,
    });

    private const string MissingMessage =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), " +
        "or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. " +
        "You can obtain an API key from https://platform.openai.com/account/api-keys.";

    private ApiClient Api(string? authorization)
    {
        var api = server.Api();
        if (authorization is not null)
        {
            api.Headers["Authorization"] = authorization;
        }
        return api;
    }

    [Fact]
    public async Task A_request_without_a_key_gets_the_no_key_401()
    {
        var error = (await Api(null).Get("/v1/assistants")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal(MissingMessage, error.Str("message"));
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.True(error.IsNull("param"));
        Assert.True(error.IsNull("code"));
    }

    [Fact]
    public async Task A_wrong_key_gets_the_incorrect_key_401_with_the_key_masked_as_OpenAI_did()
    {
        const string wrong = "sk-PMafPabcdefghijklmnopqrstuvwxyz0123456789ABCE873";

        var error = (await Api($"Bearer {wrong}").Get("/v1/assistants")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal($"Incorrect API key provided: sk-PMafP{new string('*', wrong.Length - 12)}E873. You can find your API key at https://platform.openai.com/account/api-keys.", error.Str("message"));
        Assert.Equal("invalid_request_error", error.Str("type"));
        Assert.Equal("invalid_api_key", error.Str("code"));
        Assert.True(error.IsNull("param"));
    }

    [Fact]
    public async Task A_short_wrong_key_is_echoed_whole_as_OpenAI_did()
    {
        // Users quoted "Incorrect API key provided: ai." and "…: undefined.": a key of 12 characters or fewer has nothing to hide.
        var error = (await Api("Bearer sk-wrong1").Get("/v1/assistants")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal("Incorrect API key provided: sk-wrong1. You can find your API key at https://platform.openai.com/account/api-keys.", error.Str("message"));
    }

    [Fact]
    public async Task A_key_of_thirteen_characters_shows_its_first_eight_and_last_four()
    {
        var error = (await Api("Bearer sk-wrongkey13").Get("/v1/assistants")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal("Incorrect API key provided: sk-wrong*ey13. You can find your API key at https://platform.openai.com/account/api-keys.", error.Str("message"));
    }

    [Theory]
    [InlineData(GoodKey)]
    [InlineData(OtherKey)]
    public async Task Every_configured_key_is_accepted(string key)
    {
        (await Api($"Bearer {key}").Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task The_bearer_scheme_name_is_case_insensitive()
    {
        (await Api($"bearer {GoodKey}").Get("/v1/assistants")).Ok();
    }

    [Fact]
    public async Task The_key_may_come_as_the_basic_auth_password_with_a_blank_user()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($":{GoodKey}"));

        (await Api($"Basic {basic}").Get("/v1/assistants")).Ok();
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer   ")]
    [InlineData("Token sk-proj-good0123456789abcdefghijklmnop")]
    public async Task An_empty_bearer_or_another_scheme_counts_as_no_key(string authorization)
    {
        var error = (await Api(authorization).Get("/v1/assistants")).Error(HttpStatusCode.Unauthorized);

        Assert.Equal(MissingMessage, error.Str("message"));
    }

    [Fact]
    public async Task The_routes_without_the_v1_prefix_need_the_key_too()
    {
        (await Api(null).Get("/assistants")).Error(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_key_is_needed_whatever_the_paths_case()
    {
        (await Api(null).Get("/V1/Assistants")).Error(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_refused_create_thread_creates_nothing()
    {
        var threads = (await Api(null).Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32();

        (await Api("Bearer sk-nope-nope-nope-nope").Post("/v1/threads", new { })).Error(HttpStatusCode.Unauthorized);

        Assert.Equal(threads, (await Api(null).Get("/healthz")).Ok().Json.GetProperty("threads").GetInt32());
    }

    [Theory]
    [InlineData("/_mock/clock")]
    [InlineData("/healthz")]
    [InlineData("/swagger/v1/swagger.json")]
    public async Task The_control_API_health_and_swagger_need_no_api_key(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await Api(null).Get(path)).Status);
    }

    [Fact]
    public async Task The_SDK_sees_a_wrong_key_as_a_401_without_retrying()
    {
        var http = server.CreateClient();
        var client = new AssistantClient(new ApiKeyCredential("sk-wrong-key-for-the-sdk-test"), new AssistantClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/v1"),
            Transport = new HttpClientPipelineTransport(http),
        });
        (await Api(null).Delete("/_mock/requests")).Ok();

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetAssistantAsync("asst_abcdefghijklmnopqrstuvwx"));

        Assert.Equal(401, error.Status);
        var journal = (await Api(null).Get("/_mock/requests?path=/v1/assistants")).Ok().Json;
        Assert.Equal(1, journal.GetProperty("count").GetInt32());
    }
}
